// Enrollment or adding a factor: scan the authenticator app's QR code and type its code.
import { call, commonError } from "../calls.js";
import { h } from "../dom.js";
import { clearErrors, codeField, form, notice, privacyNotice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { backToAccount } from "./account.js";
import { showReauth } from "./reauth.js";
import { showRecoveryCode } from "./recovery-code.js";
import { cancelLink } from "./sign-in.js";
import { t } from "../i18n.js";

export function showAppSetup(purpose, setup, message = null) {
  if (!setup) return refresh();
  const code = codeField(t("6-digit code from your app"));
  screen(
    t("Set Up Authenticator App"),
    notice(message),
    h(
      "ol",
      { class: "steps" },
      h("li", {}, t("Open your authenticator app (for example Google Authenticator or Microsoft Authenticator).")),
      h(
        "li",
        {},
        t("Scan this QR code with the app."),
        h("img", {
          class: "qr",
          src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrCodeSvg)}`,
          alt: t("QR code to add Twofold to your authenticator app"),
          width: "180",
          height: "180",
        }),
        h(
          "span",
          { class: "manual" },
          t("Can't scan it? Enter this key in the app instead: "),
          h("code", { id: "manual-key", class: "key" }, setup.secret),
        ),
      ),
      h("li", {}, t("Enter the 6-digit code the app shows.")),
    ),
    privacyNotice(),
    form(
      async (submit) => {
        clearErrors(code);
        const value = code.input.value.replace(/\s/g, "");
        if (!/^\d{6}$/.test(value)) return code.error(t("Enter the 6 digits the app shows."));
        const data = await call(submit, "VerifyAuthenticatorCode", { code: value });
        if (!data) return;
        const result = data.verifyAuthenticatorCode;
        if (result.__typename === "RecoveryCodeIssued") return showRecoveryCode(result.recoveryCode, "enroll");
        if (result.__typename === "AuthenticatorAppAdded") return refresh(t("Your authenticator app was added."));
        if (result.__typename === "ReauthenticationRequiredError") {
          return showReauth(result.methods, () => refresh());
        }
        commonError(result, code);
      },
      code.wrap,
      h("button", { type: "submit", class: "primary" }, t("Continue")),
    ),
    purpose === "add" ? backToAccount() : cancelLink(),
  );
}
