// Sign in with email and password, and sign out (here or everywhere).
import { call, commonError } from "../calls.js";
import { field, h } from "../dom.js";
import { button, clearErrors, form, notice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { state, who } from "../state.js";
import { offerPasskey } from "./challenge.js";
import { showForgotPassword } from "./password.js";

export function showSignIn(message = null) {
  who.textContent = "";
  state.recoveryCode = null;
  state.challengeMethod = null;
  state.preferredMethod = null;
  state.retry = null;
  const email = field({ label: "Email", name: "email", type: "email", autocomplete: "username", required: true });
  const password = field({
    label: "Password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const passkeyPlace = h("div", { class: "passkey" });
  const card = screen(
    "Sign In",
    notice(message),
    form(
      async (submit) => {
        clearErrors(email, password);
        if (!email.input.value.trim()) return email.error("Enter your email.");
        if (!password.input.value) return password.error("Enter your password.");
        const data = await call(submit, "LogIn", { email: email.input.value.trim(), password: password.input.value });
        if (!data) return;
        const result = data.logIn;
        if (["MfaSetupRequired", "MfaChallengeRequired", "LoggedIn"].includes(result.__typename)) return refresh();
        commonError(result);
      },
      email.wrap,
      password.wrap,
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    h("p", { class: "aside" }, button("Forgot password?", { class: "link", onclick: () => showForgotPassword() })),
    passkeyPlace,
  );
  offerPasskey(card, passkeyPlace);
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
  if (others === null) return showSignIn("You signed out.");
  const ended = `${others} other ${others === 1 ? "session" : "sessions"} ended`;
  showSignIn(`You signed out everywhere (${ended}).`);
}

export function cancelLink(text = "Cancel and sign out") {
  return h("p", { class: "aside" }, button(text, { class: "link", onclick: (e) => signOut(e.currentTarget) }));
}
