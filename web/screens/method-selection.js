// Enrollment starts: 'Two-Factor Authentication Required' and the choice of method.
import { call, commonError } from "../calls.js";
import { h, nextId } from "../dom.js";
import { METHOD_NAMES } from "../format.js";
import { button, clearErrors, form, notice, screen, stepError } from "../frame.js";
import { app, state } from "../state.js";
import { showAppSetup } from "./app-setup.js";
import { showKeyRegistration } from "./key-registration.js";
import { cancelLink } from "./sign-in.js";
import { showSmsSetup } from "./sms-setup.js";
import { t, translated } from "../i18n.js";

// startMfaSetup ('Set Up Now', or back to the choice): the method selection, or its error.
export async function startSetup(submit) {
  const data = await call(submit, "StartMfaSetup");
  if (!data) return;
  const result = data.startMfaSetup;
  if (result.__typename === "MfaMethodSelection") {
    return showMethodSelection(result.allowedMethods, result.recommendedMethod);
  }
  commonError(result);
}

export function showSetupRequired(message) {
  screen(
    t("Two-Factor Authentication Required"),
    notice(message),
    h(
      "p",
      {},
      t("To keep payments secure, you must set up two-factor authentication before you sign in. " +
        "Besides your password, you will use a code from your phone or a security key."),
    ),
    h(
      "div",
      { class: "actions" },
      button(t("Set Up Now"), {
        class: "primary",
        onclick: (e) => startSetup(e.currentTarget),
      }),
    ),
    cancelLink(),
  );
}

const METHOD_ORDER = ["AUTHENTICATOR_APP", "SECURITY_KEY", "SMS"];

const METHOD_TEXT = translated(() => ({
  AUTHENTICATOR_APP: t("Use an app such as Google Authenticator or Microsoft Authenticator to get a code."),
  SECURITY_KEY:
    t("Touch a USB or NFC security key, or use a passkey with your device's fingerprint, face or screen lock. " +
    "It works only on this site, so it cannot be phished."),
  SMS: t("Get a code by text message on your mobile phone."),
}));

export function showMethodSelection(allowed, recommended, message = null, error = null) {
  const order = METHOD_ORDER.filter((m) => allowed.includes(m));
  const chosen = recommended && order.includes(recommended) ? recommended : order[0];
  const options = order.map((method) => {
    const id = nextId("method");
    return h(
      "div",
      { class: "choice" },
      h("input", { type: "radio", name: "method", id, value: method, checked: method === chosen }),
      h(
        "label",
        { for: id },
        h("span", { class: "choice-name" }, METHOD_NAMES[method]),
        method === recommended ? h("span", { class: "badge" }, t("Recommended")) : null,
        h("span", { class: "choice-text" }, METHOD_TEXT[method]),
      ),
    );
  });
  screen(
    t("Select an Authentication Method"),
    notice(message),
    form(
      async (submit) => {
        clearErrors();
        const method = app.querySelector("input[name=method]:checked").value;
        const data = await call(submit, "ChooseMfaMethod", { method });
        if (!data) return;
        const result = data.chooseMfaMethod;
        if (result.__typename === "AuthenticatorAppMethodChosen") return showAppSetup("enroll", result);
        if (result.__typename === "SecurityKeyMethodChosen") {
          return showKeyRegistration("enroll", result.creationOptions);
        }
        if (result.__typename === "SmsMethodChosen") {
          state.countries = result.allowedCountries;
          return showSmsSetup("enroll");
        }
        if (result.__typename === "MethodNotAllowedError") {
          return showMethodSelection(result.allowedMethods, recommended, null, result.message);
        }
        commonError(result);
      },
      h("fieldset", {}, h("legend", {}, t("How do you want to prove it's you?")), options),
      h("button", { type: "submit", class: "primary" }, t("Continue")),
    ),
    cancelLink(),
  );
  if (error) stepError(error);
}
