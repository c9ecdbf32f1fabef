// 'Confirm It's You': a fresh second factor before a change, then the change again.
import { call, commonError } from "../calls.js";
import { h } from "../dom.js";
import { SWITCH_TEXT } from "../format.js";
import { button, clearErrors, codeField, form, screen } from "../frame.js";
import { refresh } from "../router.js";
import { state } from "../state.js";
import { signChallenge } from "../webauthn.js";
import { backToAccount } from "./account.js";
import { showCodeEntry } from "./sms-code.js";
import { t } from "../i18n.js";

// Runs a factor change; when it needs a fresh second factor, asks for one and runs it again.
export async function change(submitButton, operation, variables, done) {
  const data = await call(submitButton, operation, variables);
  if (!data) return;
  const result = Object.values(data)[0];
  if (result.__typename === "ReauthenticationRequiredError") {
    return showReauth(result.methods, () => change(null, operation, variables, done));
  }
  if (done(result)) return;
  commonError(result);
}

export async function reauthenticate(submitButton, code, method, codeFieldApi) {
  const data = await call(submitButton, "Reauthenticate", { code, method });
  if (!data) return;
  const result = data.reauthenticate;
  if (result.__typename === "Reauthenticated") {
    const retry = state.retry;
    state.retry = null;
    if (retry) return retry();
    return refresh(t("Confirmed. You can make your change now."));
  }
  commonError(result, codeFieldApi);
}

export function showReauth(methods, retry, chosen = null) {
  state.retry = retry;
  // The user's preferred factor first, as at sign-in.
  const first = methods.includes(state.preferredMethod) ? state.preferredMethod : methods[0];
  const method = chosen && methods.includes(chosen) ? chosen : first;
  const switcher = methods
    .filter((m) => m !== method)
    .map((other) => button(SWITCH_TEXT[other], { class: "link", onclick: () => showReauth(methods, retry, other) }));
  if (method === "SMS") {
    screen(
      t("Confirm It's You"),
      h("p", {}, t("This change needs a fresh code. We will text one to your phone.")),
      h(
        "div",
        { class: "actions" },
        button(t("Send Text Message"), {
          class: "primary",
          onclick: async (e) => {
            clearErrors();
            const data = await call(e.currentTarget, "SendReauthenticationCode");
            if (!data) return;
            const result = data.sendReauthenticationCode;
            if (result.__typename === "SmsCodeSent") {
              return showCodeEntry("reauth", {
                maskedPhoneNumber: result.maskedPhoneNumber,
                codeExpiresAt: result.expiresAt,
                resendAvailableAt: result.resendAvailableAt,
                attemptsRemaining: null,
              });
            }
            commonError(result);
          },
        }),
      ),
      h("div", { class: "aside" }, switcher),
      backToAccount(),
    );
    return;
  }
  if (method === "SECURITY_KEY") {
    screen(
      t("Confirm It's You"),
      h("p", {}, t("This change needs your security key or passkey. Touch the key or confirm when your browser asks.")),
      form(
        async (submit) => {
          clearErrors();
          const credential = await signChallenge(submit);
          if (credential) await reauthenticate(submit, credential, "SECURITY_KEY", null);
        },
        h("button", { type: "submit", class: "primary" }, t("Use your security key")),
      ),
      h("div", { class: "aside" }, switcher),
      backToAccount(),
    );
    return;
  }
  const code = codeField(t("6-digit code from your authenticator app"));
  screen(
    t("Confirm It's You"),
    h("p", {}, t("This change needs a fresh code. Enter the code your authenticator app shows.")),
    form(
      async (submit) => {
        clearErrors(code);
        const value = code.input.value.replace(/\s/g, "");
        if (!/^\d{6}$/.test(value)) return code.error(t("Enter the 6 digits the app shows."));
        await reauthenticate(submit, value, "AUTHENTICATOR_APP", code);
      },
      code.wrap,
      h("button", { type: "submit", class: "primary" }, t("Continue")),
    ),
    h("div", { class: "aside" }, switcher),
    backToAccount(),
  );
}
