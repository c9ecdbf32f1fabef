// Single sign-on: the "Continue with SSO" button, and the error screen a refused sign-in
// lands on (the server sends the browser to /?sso_error=CODE; docs/errors.md lists the codes).
import { h } from "../dom.js";
import { button, notice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { t, translated } from "../i18n.js";

const EXPLAINED = translated(() => ({
  SSO_EMAIL_NOT_VERIFIED: t("Your identity provider did not confirm your email address."),
  SSO_DOMAIN_NOT_VERIFIED: t("Your email's domain is not set up for single sign-on here."),
  SSO_NO_ACCOUNT: t("There is no account for you here. Ask your administrator to create one."),
  SSO_ACCOUNT_LOCKED: t("Your account is locked. A company administrator must reset your MFA."),
  SSO_PROVIDER_UNAVAILABLE: t("Your identity provider did not answer. Try again later."),
}));

// A navigation, not a fetch: the identity provider's pages take over the browser.
export function startSso(startUrl) {
  window.location.assign(startUrl);
}

export function ssoButton(option, primary = true) {
  return button(t("Continue with SSO ({provider})", { provider: option.providerName }), {
    class: primary ? "primary" : "secondary",
    onclick: () => startSso(option.startUrl),
  });
}

// The code from the address, once: a reload afterwards shows the app's own state.
export function ssoErrorFromAddress() {
  const params = new URLSearchParams(window.location.search);
  const code = params.get("sso_error");
  if (!code) return null;
  window.history.replaceState(null, "", window.location.pathname);
  return /^SSO_[A-Z_]{1,40}$/.test(code) ? code : "SSO_INVALID_RESPONSE";
}

export function showSsoError(code) {
  screen(
    t("Single Sign-On Failed"),
    notice(EXPLAINED[code] || t("The sign-in through your identity provider did not complete.")),
    h("p", {}, t("Error code: "), h("code", { class: "error-code" }, code)),
    button(t("Back to Sign In"), { class: "primary", onclick: () => refresh() }),
  );
}
