// 'Your Account': the signed-in user's self-service (factors, keys, browsers, recovery code, sessions).
import { clock, h } from "../dom.js";
import { dateText, METHOD_NAMES } from "../format.js";
import { button, notice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { state } from "../state.js";
import { browserSection } from "./account-browsers.js";
import { keySection } from "./account-keys.js";
import { holdSection } from "./holds.js";
import { adminSection } from "./admin.js";
import { pendingResetsSection } from "./admin-requests.js";
import { passwordSection } from "./account-password.js";
import { inviteSection } from "./invite.js";
import { showAppSetup } from "./app-setup.js";
import { change } from "./reauth.js";
import { showRecoveryCode } from "./recovery-code.js";
import { signOut } from "./sign-in.js";
import { showSmsSetup } from "./sms-setup.js";
import { t } from "../i18n.js";

export function backToAccount() {
  return h("p", { class: "aside" }, button(t("Back to your account"), { class: "link", onclick: () => refresh() }));
}

export function showAccount(viewer, enrollment, message = null) {
  const mfa = viewer.mfa;
  state.preferredMethod = mfa.preferredMethod;
  const allowed = enrollment.allowedMethods;
  const several = mfa.methods.length > 1;
  const actionStatus = h("p", { class: "notice", role: "status" });

  const factors = mfa.methods.map((method) => {
    const preferred = mfa.preferredMethod === method;
    const keys = viewer.securityKeys.length;
    const detail =
      method === "SMS"
        ? t("Text messages to {phone}", { phone: mfa.maskedPhoneNumber })
        : method === "SECURITY_KEY"
          ? keys === 1
            ? t("1 key registered (listed below)")
            : t("{count} keys registered (listed below)", { count: keys })
          : mfa.authenticatorAppAddedAt
          ? t("Added {date}", { date: dateText(mfa.authenticatorAppAddedAt) })
          : t("Codes from your app");
    return h(
      "li",
      { class: "factor" },
      h(
        "div",
        {},
        h("span", { class: "choice-name" }, METHOD_NAMES[method]),
        preferred && several ? h("span", { class: "badge" }, t("Preferred")) : null,
        h("span", { class: "choice-text" }, detail),
      ),
      h(
        "div",
        { class: "actions" },
        several && !preferred
          ? button(t("Make Preferred"), {
              "aria-label": t("Make {method} preferred", { method: METHOD_NAMES[method] }),
              onclick: (e) =>
                change(e.currentTarget, "SetPreferredMfaMethod", { method }, (r) => {
                  if (r.__typename !== "PreferredMfaMethodSet") return false;
                  refresh(t("{method} is now your preferred method.", { method: METHOD_NAMES[method] }));
                  return true;
                }),
            })
          : null,
        method === "SMS"
          ? button(t("Change Phone Number"), { onclick: () => showSmsSetup("change") })
          : null,
        // Keys are removed one by one in their own list.
        method !== "SECURITY_KEY" &&
        button(t("Remove"), {
          "aria-label": t("Remove {method}", { method: METHOD_NAMES[method] }),
          onclick: (e) =>
            change(e.currentTarget, "RemoveMfaMethod", { method }, (r) => {
              if (r.__typename !== "MfaMethodRemoved") return false;
              refresh(t("{method} was removed.", { method: METHOD_NAMES[method] }));
              return true;
            }),
        }),
      ),
    );
  });

  const adds = [];
  if (!mfa.methods.includes("AUTHENTICATOR_APP") && allowed.includes("AUTHENTICATOR_APP")) {
    adds.push(
      button(t("Add Authenticator App"), {
        onclick: (e) =>
          change(e.currentTarget, "AddAuthenticatorApp", {}, (r) => {
            if (r.__typename !== "AuthenticatorAppMethodChosen") return false;
            showAppSetup("add", r);
            return true;
          }),
      }),
    );
  }
  if (!mfa.methods.includes("SMS") && allowed.includes("SMS")) {
    adds.push(button(t("Add Phone Number"), { onclick: () => showSmsSetup("change") }));
  }

  screen(
    t("Your Account"),
    notice(message),
    actionStatus,
    h("p", {}, t("Signed in as {email}.", { email: viewer.email })),
    holdSection(viewer),
    h(
      "section",
      { "aria-labelledby": "factors-title" },
      h("h2", { id: "factors-title" }, t("Two-factor authentication")),
      h(
        "p",
        { class: "hint" },
        enrollment.reauthenticatedUntil
          ? t("You confirmed it's you: changes need no new confirmation until {time}.", {
              time: clock(enrollment.reauthenticatedUntil),
            })
          : t("Changes ask you to confirm it's you first."),
      ),
      h("ul", { class: "factors" }, factors),
      adds.length ? h("div", { class: "actions" }, adds) : null,
    ),
    keySection(viewer, allowed),
    browserSection(viewer),
    passwordSection(),
    h(
      "section",
      { "aria-labelledby": "recovery-title" },
      h("h2", { id: "recovery-title" }, t("Recovery code")),
      h(
        "p",
        { class: "hint" },
        mfa.recoveryCodeCreatedAt
          ? t("Your recovery code was created {date}.", { date: dateText(mfa.recoveryCodeCreatedAt) })
          : "",
        t(" Lost it? Get a new one; the old one stops working."),
      ),
      button(t("Get a New Recovery Code"), {
        onclick: (e) =>
          change(e.currentTarget, "RegenerateRecoveryCode", {}, (r) => {
            if (r.__typename !== "RecoveryCodeIssued") return false;
            showRecoveryCode(r.recoveryCode, "regenerate");
            return true;
          }),
      }),
    ),
    h(
      "section",
      { "aria-labelledby": "sessions-title" },
      h("h2", { id: "sessions-title" }, t("Sessions")),
      h(
        "div",
        { class: "actions" },
        button(t("Sign Out"), { onclick: (e) => signOut(e.currentTarget) }),
        button(t("Sign Out Everywhere"), { onclick: (e) => signOut(e.currentTarget, true) }),
      ),
    ),
    adminSection(viewer),
    inviteSection(viewer),
    pendingResetsSection(viewer),
  );
}
