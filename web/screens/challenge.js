// The returning user's second factor at sign-in, and sign-in with a passkey.
import { call, commonError } from "../calls.js";
import { h, nextId } from "../dom.js";
import { SWITCH_TEXT } from "../format.js";
import { busy, button, clearErrors, codeField, form, notice, privacyNotice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { state } from "../state.js";
import { getCredential, signChallenge } from "../webauthn.js";
import { showRecoveryLogin } from "./recovery.js";
import { signOut } from "./sign-in.js";
import { showCodeEntry } from "./sms-code.js";
import { t } from "../i18n.js";

// "Sign in with a passkey", when the server offers it (asked once per page load).
export async function offerPasskey(card, place) {
  if (state.passkeySignIn === null) {
    const data = await call(null, "SignInOptions");
    if (!data) return;
    state.passkeySignIn = data.passkeySignInEnabled;
  }
  if (!state.passkeySignIn || !card.isConnected) return;
  place.append(
    h("p", { class: "divider" }, t("or")),
    button(t("Sign in with a passkey"), {
      class: "wide",
      onclick: async (e) => {
        clearErrors();
        const submit = e.currentTarget;
        const data = await call(submit, "StartPasskeySignIn");
        if (!data) return;
        const started = data.startPasskeySignIn;
        if (started.__typename !== "PasskeySignInStarted") return commonError(started);
        const credential = await busy(submit, () => getCredential(started.requestOptions));
        if (!credential) return;
        const signed = await call(submit, "LogInWithPasskey", { credential });
        if (!signed) return;
        const result = signed.logInWithPasskey;
        if (result.__typename === "LoggedIn") return refresh();
        commonError(result);
      },
    }),
    h("p", { class: "hint" }, t("A passkey on this device or your phone proves both your password and your second factor.")),
  );
}

// "Trust this browser for N days": only where the user's company allows it (trustBrowserDays).
export function trustChoice(enrollment) {
  const days = enrollment && enrollment.trustBrowserDays;
  if (!days) return { node: null, checked: () => false };
  const id = nextId("trust");
  const box = h("input", { type: "checkbox", id, "aria-describedby": `${id}-hint` });
  const node = h(
    "div",
    {},
    h("div", { class: "check" }, box, h("label", { for: id }, t("Trust this browser for {days} days", { days }))),
    h(
      "p",
      { class: "hint", id: `${id}-hint` },
      t("Signing in here will not ask for a second factor until then. Changes to your account still will. " +
        "Don't tick this on a shared computer."),
    ),
  );
  return { node, checked: () => box.checked };
}

export function challengeLinks(enrollment) {
  const others = enrollment.methods.filter((m) => m !== state.challengeMethod);
  return h(
    "div",
    { class: "aside" },
    others.map((m) =>
      button(SWITCH_TEXT[m], {
        class: "link",
        onclick: () => {
          state.challengeMethod = m;
          refresh();
        },
      }),
    ),
    button(t("Use a recovery code"), { class: "link", onclick: () => showRecoveryLogin(enrollment) }),
    button(t("Sign in as someone else"), { class: "link", onclick: (e) => signOut(e.currentTarget) }),
  );
}

export function showChallenge(enrollment, message = null) {
  const methods = enrollment.methods;
  let method = state.challengeMethod;
  if (!method || !methods.includes(method)) method = enrollment.preferredMethod || methods[0];
  state.challengeMethod = method;
  const codeOutstanding = enrollment.codeExpiresAt && new Date(enrollment.codeExpiresAt) > Date.now();
  if (method === "SMS" && codeOutstanding) return showCodeEntry("login", enrollment, message);
  if (method === "SMS") {
    const phone = enrollment.maskedPhoneNumber || t("your phone");
    screen(
      t("Two-Factor Authentication"),
      notice(message),
      h("p", {}, t("We will text a 6-digit code to {phone}.", { phone })),
      h(
        "div",
        { class: "actions" },
        button(t("Send Text Message"), {
          class: "primary",
          onclick: async (e) => {
            clearErrors();
            const data = await call(e.currentTarget, "SendLoginCode");
            if (!data) return;
            const result = data.sendLoginCode;
            if (result.__typename === "SmsCodeSent") return refresh();
            commonError(result);
          },
        }),
      ),
      challengeLinks(enrollment),
    );
    return;
  }
  const trust = trustChoice(enrollment);
  if (method === "SECURITY_KEY") {
    screen(
      t("Two-Factor Authentication"),
      notice(message),
      h(
        "p",
        {},
        t("Use your security key or passkey: insert and touch the key, or confirm with your fingerprint, " +
          "face or screen lock when your browser asks."),
      ),
      form(
        async (submit) => {
          clearErrors();
          const credential = await signChallenge(submit);
          if (!credential) return;
          const variables = { code: credential, method: "SECURITY_KEY", trustBrowser: trust.checked() };
          const data = await call(submit, "VerifyLoginCode", variables);
          if (!data) return;
          const result = data.verifyLoginCode;
          if (result.__typename === "LoggedIn") return refresh();
          commonError(result);
        },
        trust.node,
        h("button", { type: "submit", class: "primary" }, t("Use your security key")),
      ),
      challengeLinks(enrollment),
    );
    return;
  }
  const code = codeField(t("6-digit code from your authenticator app"));
  screen(
    t("Two-Factor Authentication"),
    notice(message),
    h("p", {}, t("Open your authenticator app and enter the 6-digit code it shows for Twofold.")),
    privacyNotice(),
    form(
      async (submit) => {
        clearErrors(code);
        const value = code.input.value.replace(/\s/g, "");
        if (!/^\d{6}$/.test(value)) return code.error(t("Enter the 6 digits the app shows."));
        const variables = { code: value, method: "AUTHENTICATOR_APP", trustBrowser: trust.checked() };
        const data = await call(submit, "VerifyLoginCode", variables);
        if (!data) return;
        const result = data.verifyLoginCode;
        if (result.__typename === "LoggedIn") return refresh();
        commonError(result, code);
      },
      code.wrap,
      trust.node,
      h("button", { type: "submit", class: "primary" }, t("Continue")),
    ),
    challengeLinks(enrollment),
  );
}
