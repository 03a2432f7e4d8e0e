import type { ReactNode } from "react";
import { Navigate, Route, Routes, useLocation, useParams } from "react-router";

import { AuditEventPage } from "@/features/audit/components/AuditEventPage";
import { AuditExplorer } from "@/features/audit/components/AuditExplorer";
import { LoginPage } from "@/features/auth/components/LoginPage";
import { AuthorizationsPage } from "@/features/credit/components/AuthorizationsPage";
import { AuthorizationDetail } from "@/features/credit/components/AuthorizationDetail";
import { CreditLookupPage } from "@/features/credit/components/CreditLookupPage";
import { DeclarationFeedPage } from "@/features/customs/components/DeclarationFeedPage";
import { DeclarationsPage } from "@/features/customs/components/DeclarationsPage";
import { ApplyForFinancing } from "@/features/financing/components/ApplyForFinancing";
import { BankFinancingDetail } from "@/features/financing/components/BankFinancingDetail";
import { BankInbox } from "@/features/financing/components/BankInbox";
import { ExporterFinancingDetail } from "@/features/financing/components/ExporterFinancingDetail";
import { ExporterFinancings } from "@/features/financing/components/ExporterFinancings";
import { ExporterOverview } from "@/features/financing/components/ExporterOverview";
import { FxReceiptsPage } from "@/features/fx-receipts/components/FxReceiptsPage";
import { OrganizationsPage } from "@/features/organizations/components/OrganizationsPage";
import { StatusPage } from "@/features/platform/components/StatusPage";
import { AlertsPage } from "@/features/oversight/components/AlertsPage";
import { Dashboard } from "@/features/oversight/components/Dashboard";
import { ReceivableDetail } from "@/features/receivables/components/ReceivableDetail";
import { ReceivableForm } from "@/features/receivables/components/ReceivableForm";
import { ReceivablesPage } from "@/features/receivables/components/ReceivablesPage";
import type { Role } from "@/shared/api";
import { useSession } from "@/shared/auth/AuthProvider";
import { ErrorAlert, Loading } from "@/shared/ui";

import { Layout } from "./Layout";

export const HOME: Record<Role, string> = {
  exporter: "/exporter",
  bank: "/bank",
  regulator: "/regulator",
  operator: "/operator",
};

function Portal({ role, children }: { role: Role; children?: ReactNode }) {
  const { token, role: myRole, loading, error } = useSession();
  const location = useLocation();
  if (!token) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (error && !myRole) return <ErrorAlert error={error} />;
  if (loading || !myRole) return <Loading />;
  if (myRole !== role) return <Navigate to={HOME[myRole]} replace />;
  return children ?? <Layout role={role} />;
}

function Home() {
  const { token, role, loading } = useSession();
  if (!token) return <Navigate to="/login" replace />;
  if (loading || !role) return <Loading />;
  return <Navigate to={HOME[role]} replace />;
}

/** The receivable page of the exporter: its facts, then applying to banks. */
function ExporterReceivable() {
  const { id = "" } = useParams();
  return (
    <>
      <ReceivableDetail id={id} />
      <ApplyForFinancing receivableId={id} />
    </>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage homes={HOME} />} />
      <Route path="/" element={<Home />} />
      <Route path="/exporter" element={<Portal role="exporter" />}>
        <Route index element={<ExporterOverview />} />
        <Route path="declarations" element={<DeclarationsPage />} />
        <Route path="receivables" element={<ReceivablesPage />} />
        <Route path="receivables/new" element={<ReceivableForm />} />
        <Route path="receivables/:id" element={<ExporterReceivable />} />
        <Route path="financings" element={<ExporterFinancings />} />
        <Route path="financings/:id" element={<ExporterFinancingDetail />} />
        <Route path="authorizations" element={<AuthorizationsPage />} />
        <Route path="authorizations/:id" element={<AuthorizationDetail />} />
      </Route>
      <Route path="/bank" element={<Portal role="bank" />}>
        <Route index element={<BankInbox />} />
        <Route path="financings/:id" element={<BankFinancingDetail receivable={(id) => <ReceivableDetail id={id} compact />} />} />
        <Route path="fx-receipts" element={<FxReceiptsPage />} />
        <Route path="credit" element={<CreditLookupPage />} />
      </Route>
      <Route path="/regulator" element={<Portal role="regulator" />}>
        <Route index element={<Dashboard />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="audit" element={<AuditExplorer />} />
        <Route path="audit/:seq" element={<AuditEventPage />} />
        <Route path="declarations" element={<DeclarationsPage />} />
      </Route>
      <Route path="/operator" element={<Portal role="operator" />}>
        <Route index element={<OrganizationsPage />} />
        <Route path="declarations" element={<DeclarationFeedPage />} />
        <Route path="status" element={<StatusPage />} />
      </Route>
      <Route path="*" element={<Home />} />
    </Routes>
  );
}
