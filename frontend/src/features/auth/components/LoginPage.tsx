import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";

import type { Role } from "@/shared/api";
import { useSession } from "@/shared/auth/AuthProvider";
import { ErrorAlert } from "@/shared/ui";
import { LanguageSwitch } from "@/shared/ui/LanguageSwitch";

export function LoginPage({ homes }: { homes: Record<Role, string> }) {
  const { t } = useTranslation();
  const { login, token, role } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (token && role) return <Navigate to={homes[role]} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await login(username.trim(), password);
      const from = (location.state as { from?: string } | null)?.from;
      const home = homes[me.organization.kind];
      navigate(from && from.startsWith(home) ? from : home, { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <form className="card" onSubmit={submit} aria-labelledby="login-title">
        <div className="page-head" style={{ alignItems: "center" }}>
          <h1 id="login-title">{t("app.name")}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted" style={{ marginTop: 0 }}>{t("auth.tagline")}</p>
        <ErrorAlert error={error} />
        <div className="field">
          <label htmlFor="username">{t("auth.username")}</label>
          <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="password">{t("auth.password")}</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        <button type="submit" disabled={busy} style={{ width: "100%" }}>
          {busy ? t("auth.signingIn") : t("auth.signIn")}
        </button>
      </form>
    </div>
  );
}
