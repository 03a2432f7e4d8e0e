import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router";

import type { Role } from "@/shared/api";
import { useSession } from "@/shared/auth/AuthProvider";
import { LanguageSwitch } from "@/shared/ui/LanguageSwitch";

const NAV: Record<Role, { to: string; label: string; end?: boolean }[]> = {
  exporter: [
    { to: "/exporter", label: "nav.overview", end: true },
    { to: "/exporter/declarations", label: "nav.declarations" },
    { to: "/exporter/receivables", label: "nav.receivables" },
    { to: "/exporter/financings", label: "nav.financings" },
    { to: "/exporter/authorizations", label: "nav.authorizations" },
  ],
  bank: [
    { to: "/bank", label: "nav.inbox", end: true },
    { to: "/bank/fx-receipts", label: "nav.fxReceipts" },
    { to: "/bank/credit", label: "nav.creditLookup" },
  ],
  regulator: [
    { to: "/regulator", label: "nav.dashboard", end: true },
    { to: "/regulator/alerts", label: "nav.alerts" },
    { to: "/regulator/audit", label: "nav.audit" },
    { to: "/regulator/declarations", label: "nav.declarations" },
  ],
  operator: [
    { to: "/operator", label: "nav.organizations", end: true },
    { to: "/operator/declarations", label: "nav.customsFeed" },
    { to: "/operator/status", label: "nav.status" },
  ],
};

export function Layout({ role }: { role: Role }) {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  return (
    <div className="shell" data-portal={role}>
      <aside className="sidebar">
        <div className="brand">
          <img src="/favicon.svg" width={22} height={22} alt="" />
          {t("app.name")}
        </div>
        <div className="portal">{t(`portal.${role}`)}</div>
        <nav aria-label={t("nav.label")}>
          {NAV[role].map((item) => (
            <NavLink key={item.to} to={item.to} end={item.end ?? false}>
              {t(item.label)}
            </NavLink>
          ))}
        </nav>
        <div className="who">
          <span data-testid="whoami">
            <strong>{me?.username}</strong>
            <br />
            {me?.organization?.name}
          </span>
          <LanguageSwitch />
          <button type="button" className="secondary" onClick={logout}>
            {t("auth.logout")}
          </button>
        </div>
      </aside>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}
