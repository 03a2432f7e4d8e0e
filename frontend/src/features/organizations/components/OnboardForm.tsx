import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useIdempotencyKey, type Organization } from "@/shared/api";
import { ChainBadge, ErrorAlert, Field } from "@/shared/ui";
import { fieldErrors, invalid } from "@/shared/ui/forms";

import { useOnboardOrganization } from "../api";

type Kind = "exporter" | "bank" | "regulator";
const FIELDS = ["kind", "name", "uscc", "bic", "safe_classification", "country", "grace_days", "admin_user.username", "admin_user.password"];

export function OnboardForm() {
  const { t } = useTranslation();
  const onboard = useOnboardOrganization();
  const idempotency = useIdempotencyKey();
  const [kind, setKind] = useState<Kind>("exporter");
  const [name, setName] = useState("");
  const [uscc, setUscc] = useState("");
  const [bic, setBic] = useState("");
  const [classification, setClassification] = useState<"A" | "B" | "C">("A");
  const [country, setCountry] = useState("CN");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [created, setCreated] = useState<Organization | null>(null);
  const errorsOf = fieldErrors(onboard.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      kind,
      name: name.trim(),
      country: country.trim().toUpperCase(),
      ...(kind === "exporter" ? { uscc: uscc.trim(), safe_classification: classification } : {}),
      ...(kind === "bank" ? { bic: bic.trim() } : {}),
      admin_user: { username: username.trim(), password },
    };
    onboard.mutate(
      { body, headers: idempotency.keyFor(body) },
      {
        onSuccess: (organization) => {
          idempotency.reset();
          setCreated(organization ?? null);
          setName("");
          setUscc("");
          setBic("");
          setUsername("");
          setPassword("");
        },
      },
    );
  }

  return (
    <form onSubmit={submit} aria-label={t("operator.onboardTitle")} noValidate>
      <ErrorAlert error={onboard.error} fields={FIELDS} />
      {created ? (
        <div className="alert good" role="status">
          {t("operator.onboarded", { name: created.name })} <span className="hash">{created.chain_address}</span>{" "}
          <ChainBadge chain={created.chain} />
        </div>
      ) : null}
      <div className="row">
        <Field label={t("fields.kind")} htmlFor="org-kind" errors={errorsOf("kind")}>
          <select id="org-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="exporter">{t("role.exporter")}</option>
            <option value="bank">{t("role.bank")}</option>
            <option value="regulator">{t("role.regulator")}</option>
          </select>
        </Field>
        <Field label={t("fields.name")} htmlFor="org-name" errors={errorsOf("name")}>
          <input id="org-name" value={name} onChange={(e) => setName(e.target.value)} {...invalid("org-name", errorsOf("name"))} />
        </Field>
        <Field label={t("fields.country")} htmlFor="org-country" errors={errorsOf("country")}>
          <input id="org-country" value={country} maxLength={2} onChange={(e) => setCountry(e.target.value)} {...invalid("org-country", errorsOf("country"))} />
        </Field>
      </div>
      {kind === "exporter" ? (
        <div className="row">
          <Field label={t("fields.uscc")} htmlFor="org-uscc" errors={errorsOf("uscc")} hint={t("operator.usccHint")}>
            <input id="org-uscc" value={uscc} maxLength={18} onChange={(e) => setUscc(e.target.value)} {...invalid("org-uscc", errorsOf("uscc"))} />
          </Field>
          <Field label={t("fields.safe_classification")} htmlFor="org-class" errors={errorsOf("safe_classification")}>
            <select id="org-class" value={classification} onChange={(e) => setClassification(e.target.value as "A" | "B" | "C")}>
              <option value="A">A</option>
              <option value="B">B</option>
              <option value="C">C</option>
            </select>
          </Field>
        </div>
      ) : null}
      {kind === "bank" ? (
        <div className="row">
          <Field label={t("fields.bic")} htmlFor="org-bic" errors={errorsOf("bic")} hint={t("operator.bicHint")}>
            <input id="org-bic" value={bic} maxLength={11} onChange={(e) => setBic(e.target.value)} {...invalid("org-bic", errorsOf("bic"))} />
          </Field>
        </div>
      ) : null}
      <fieldset>
        <legend>{t("operator.adminUser")}</legend>
        <div className="row">
          <Field label={t("auth.username")} htmlFor="org-admin" errors={errorsOf("admin_user.username")}>
            <input id="org-admin" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" {...invalid("org-admin", errorsOf("admin_user.username"))} />
          </Field>
          <Field label={t("auth.password")} htmlFor="org-password" errors={errorsOf("admin_user.password")}>
            <input id="org-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" {...invalid("org-password", errorsOf("admin_user.password"))} />
          </Field>
        </div>
      </fieldset>
      <button type="submit" disabled={onboard.isPending}>
        {t("operator.onboard")}
      </button>
    </form>
  );
}
