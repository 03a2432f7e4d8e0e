import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { HOME } from "@/app/routes";
import { fakeApi, ME } from "@/test/fakeApi";
import { fill, renderScreen } from "@/test/render";

import { LoginPage } from "./LoginPage";

describe("signing in", () => {
  it("exchanges the credentials for a token and lands on the role's portal", async () => {
    const api = fakeApi({
      "POST /api/auth/token/": { body: { token: "tok-1", expires_at: new Date(Date.now() + 3_600_000).toISOString() } },
      "GET /api/me/": { body: ME.bank },
    });
    await renderScreen(<LoginPage homes={HOME} />, { path: "/login", signedIn: false });
    fill(screen.getByLabelText("Username"), "boc");
    fill(screen.getByLabelText("Password"), "demo-pass-2026");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/bank"));
    expect(api.posts("/api/auth/token/")[0]!.body).toEqual({ username: "boc", password: "demo-pass-2026" });
    const me = api.calls.find((c) => c.path === "/api/me/");
    expect(me!.headers.get("Authorization")).toBe("Bearer tok-1");
  });

  it("says when the password is wrong, in the chosen language", async () => {
    fakeApi({
      "POST /api/auth/token/": { status: 401, body: { code: "invalid_credentials", message: "Wrong username or password.", details: {} } },
    });
    await renderScreen(<LoginPage homes={HOME} />, { path: "/login", signedIn: false });
    await userEvent.click(screen.getByRole("button", { name: "简体中文" }));
    expect(localStorage.getItem("tradefin.language")).toBe("zh-CN");
    fill(screen.getByLabelText("用户名"), "boc");
    fill(screen.getByLabelText("密码"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "登录" }));
    expect(await screen.findByText("用户名或密码错误。")).toBeInTheDocument();
    expect(screen.getByTestId("location")).toHaveTextContent("/login");
  });
});
