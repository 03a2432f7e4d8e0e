// Generates the API's TypeScript types from frontend/openapi.json, the backend's schema that
// `make frontend` writes. Without it there is nothing to type-check against: say how to get it.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const schema = new URL("../openapi.json", import.meta.url);
if (!existsSync(schema)) {
  console.error(
    "frontend/openapi.json is missing. `make frontend` writes it; by hand, from the repository root:\n" +
      "  cd backend && DJANGO_SETTINGS_MODULE=config.settings.test PYTHONPATH=.:.. \\\n" +
      "    ../.venv/bin/python manage.py spectacular --format openapi-json --file ../frontend/openapi.json",
  );
  process.exit(1);
}
const result = spawnSync("openapi-typescript", ["openapi.json", "--output", "src/shared/api/schema.gen.ts"], {
  stdio: "inherit",
  shell: process.platform === "win32",
});
process.exit(result.status ?? 1);
