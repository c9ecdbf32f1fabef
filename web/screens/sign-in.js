// Sign in: the email first (signInOptions says password, SSO or both), then the password or
// "Continue with SSO"; and sign out (here or everywhere).
import { call, commonError } from "../calls.js";
import { field, h } from "../dom.js";
import { button, clearErrors, form, notice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { state, who } from "../state.js";
import { offerPasskey } from "./challenge.js";
import { showForgotPassword } from "./password.js";
import { ssoButton, startSso } from "./sso.js";
import { t } from "../i18n.js";

function forget() {
  who.textContent = "";
  state.recoveryCode = null;
  state.challengeMethod = null;
  state.preferredMethod = null;
  state.retry = null;
}

export function showSignIn(message = null) {
  forget();
  const email = field({ label: t("Email"), name: "email", type: "email", autocomplete: "username", required: true });
  const passkeyPlace = h("div", { class: "passkey" });
  const card = screen(
    t("Sign In"),
    notice(message),
    form(
      async (submit) => {
        clearErrors(email);
        const address = email.input.value.trim();
        if (!address) return email.error(t("Enter your email."));
        const data = await call(submit, "EmailSignInOptions", { email: address });
        if (!data) return;
        const options = data.signInOptions;
        if (options.sso && !options.password) return showSsoOnly(address, options.sso);
        showPassword(address, options.sso);
      },
      email.wrap,
      h("button", { type: "submit", class: "primary" }, t("Continue")),
    ),
    passkeyPlace,
  );
  offerPasskey(card, passkeyPlace);
}

function otherEmail() {
  return h("p", { class: "aside" }, button(t("Use another email"), { class: "link", onclick: () => showSignIn() }));
}

function showSsoOnly(address, sso) {
  // One sentence for the translator; the address goes in bold where its placeholder stands.
  const [before, after] = t("Sign in to {email} through your company's identity provider.").split("{email}");
  screen(
    t("Sign In"),
    h("p", {}, before, h("strong", {}, address), after),
    ssoButton(sso),
    otherEmail(),
  );
}

function showPassword(address, sso) {
  // The address again, read-only, for password managers: they save it with the password.
  const username = field({
    label: t("Email"),
    name: "email",
    type: "email",
    autocomplete: "username",
    value: address,
    readonly: true,
  });
  const password = field({
    label: t("Password"),
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  screen(
    t("Sign In"),
    form(
      async (submit) => {
        clearErrors(password);
        if (!password.input.value) return password.error(t("Enter your password."));
        const data = await call(submit, "LogIn", { email: address, password: password.input.value });
        if (!data) return;
        const result = data.logIn;
        if (["MfaSetupRequired", "MfaChallengeRequired", "LoggedIn"].includes(result.__typename)) return refresh();
        if (result.__typename === "SsoRequiredError") return startSso(result.startUrl);
        commonError(result);
      },
      username.wrap,
      password.wrap,
      h("button", { type: "submit", class: "primary" }, t("Continue")),
    ),
    // Beside the password field only: an SSO-only domain has no password to forget.
    h("p", { class: "aside" }, button(t("Forgot password?"), { class: "link", onclick: () => showForgotPassword(null, address) })),
    sso ? ssoButton(sso, false) : null,
    otherEmail(),
  );
  password.input.focus();
}

// logOutEverywhere ends the user's other sessions; logOut then ends this one.
export async function signOut(submit, everywhere = false) {
  let others = null;
  if (everywhere) {
    const data = await call(submit, "LogOutEverywhere");
    if (!data) return;
    others = data.logOutEverywhere.revokedSessions;
  }
  if (!(await call(submit, "LogOut"))) return;
  if (others === null) return showSignIn(t("You signed out."));
  showSignIn(
    others === 1
      ? t("You signed out everywhere (1 other session ended).")
      : t("You signed out everywhere ({count} other sessions ended).", { count: others }),
  );
}

export function cancelLink(text = t("Cancel and sign out")) {
  return h("p", { class: "aside" }, button(text, { class: "link", onclick: (e) => signOut(e.currentTarget) }));
}
