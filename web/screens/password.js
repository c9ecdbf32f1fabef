// 'Forgot password?', 'Set a new password' and 'Accept your invitation': the screens an emailed
// link opens. The link's token arrives after `#`, which the browser never sends to a server.
import { call, commonError } from "../calls.js";
import { field, h } from "../dom.js";
import { button, clearErrors, form, notice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { showSignIn } from "./sign-in.js";
import { t } from "../i18n.js";

const REASONS = {
  TOO_SHORT: (r) => t("Use at least {count} characters.", { count: r.minLength }),
  TOO_LONG: (r) => t("Use at most {count} characters.", { count: r.maxLength }),
  COMMON: () => t("This is one of the most common passwords. Choose another."),
  CONTAINS_EMAIL: () => t("Do not use your email address in the password."),
};

// The token of the link that opened the page, once: it then leaves the address bar and history.
export function takeLinkToken() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  // Back at the app's own address: a reload then shows where the server says the user is.
  if (token) history.replaceState(null, "", location.pathname.replace(/(reset-password|accept-invitation)$/, ""));
  return token;
}

export function weakText(result) {
  return (REASONS[result.reason] || (() => result.message))(result);
}

// An SSO-only domain's users have no password to reset: their identity provider signs them in.
const ssoOnly = () =>
  t("Your company signs you in through its identity provider: there is no password to reset here.");

export function showForgotPassword(message = null, address = "") {
  const email = field({
    label: t("Email"),
    name: "email",
    type: "email",
    autocomplete: "username",
    value: address,
    required: true,
  });
  screen(
    t("Forgot Password"),
    notice(message),
    h("p", {}, t("Enter the email you sign in with. We will send you a link to set a new password.")),
    form(
      async (submit) => {
        clearErrors(email);
        const address = email.input.value.trim();
        if (!address) return email.error(t("Enter your email."));
        const data = await call(submit, "RequestPasswordReset", { email: address });
        if (!data) return;
        const result = data.requestPasswordReset;
        if (result.__typename === "SsoRequiredError") return showSignIn(ssoOnly());
        if (result.__typename !== "PasswordResetRequested") return commonError(result);
        showSignIn(
          t("If {email} has an account, we sent it a link. It works for {minutes} minutes.", {
            email: address,
            minutes: result.expiresInMinutes,
          }),
        );
      },
      email.wrap,
      h("button", { type: "submit", class: "primary" }, t("Send Link")),
    ),
    h("p", { class: "aside" }, button(t("Back to sign in"), { class: "link", onclick: () => showSignIn() })),
  );
}

// One password field that says, while typing, which rule the password still breaks.
function newPasswordField(token) {
  const password = field({
    label: t("New password"),
    name: "new-password",
    type: "password",
    autocomplete: "new-password",
    hint: t("Long is strong: a few words you remember work well."),
    required: true,
  });
  const rule = h("p", { class: "hint", "aria-live": "polite" });
  password.wrap.append(rule);
  let pending = null;
  password.input.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const data = await call(null, "CheckPassword", { password: password.input.value, token });
      if (!data) return;
      const check = data.checkPassword;
      rule.textContent = check.acceptable ? t("This password can be used.") : weakText(check);
    }, 250);
  });
  return password;
}

function passwordScreen(title, intro, token, operation, submitText) {
  const password = newPasswordField(token);
  screen(
    title,
    h("p", {}, intro),
    form(
      async (submit) => {
        clearErrors(password);
        if (!password.input.value) return password.error(t("Enter a password."));
        const variables = operation === "ResetPassword"
          ? { token, newPassword: password.input.value }
          : { token, password: password.input.value };
        const data = await call(submit, operation, variables);
        if (!data) return;
        const result = Object.values(data)[0];
        switch (result.__typename) {
          case "MfaChallengeRequired":
            return refresh(t("Confirm it's you with your second factor: then your new password takes effect."));
          case "MfaSetupRequired":
          case "LoggedIn":
            return refresh();
          case "WeakPasswordError":
            return password.error(weakText(result));
          case "LinkInvalidError":
            return showSignIn(result.message);
          case "SsoRequiredError":
            return showSignIn(ssoOnly());
          default:
            return commonError(result);
        }
      },
      password.wrap,
      h("button", { type: "submit", class: "primary" }, submitText),
    ),
  );
}

export function showSetPassword(token) {
  if (!token) return showForgotPassword(t("This link is incomplete. Ask for a new one."));
  passwordScreen(
    t("Set a New Password"),
    t("Choose a new password. If you use two-factor authentication, you confirm it next."),
    token,
    "ResetPassword",
    t("Set Password"),
  );
}

export function showAcceptInvitation(token) {
  if (!token) return showSignIn(t("This invitation link is incomplete. Ask for a new one."));
  passwordScreen(
    t("Accept Your Invitation"),
    t("Choose the password you will sign in with."),
    token,
    "AcceptInvitation",
    t("Create Account"),
  );
}
