import { useTranslation } from "react-i18next";

import { LANGUAGES, setLanguage } from "../i18n";

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t("common.language")}>
      {LANGUAGES.map((language) => (
        <button
          key={language.code}
          type="button"
          lang={language.code}
          aria-pressed={i18n.language === language.code}
          onClick={() => setLanguage(language.code)}
        >
          {language.label}
        </button>
      ))}
    </div>
  );
}
