// Enrollment or adding a key: register a security key or passkey.
import { call, commonError } from "../calls.js";
import { field, h } from "../dom.js";
import { busy, button, clearErrors, form, notice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { createCredential } from "../webauthn.js";
import { backToAccount } from "./account.js";
import { showMethodSelection, startSetup } from "./method-selection.js";
import { change, showReauth } from "./reauth.js";
import { showRecoveryCode } from "./recovery-code.js";
import { signOut } from "./sign-in.js";
import { t } from "../i18n.js";

// Creation options are shown once; after a reload (or when they expired) new ones are asked for.
export async function restartKeyRegistration(purpose, message = null) {
  if (purpose === "add") {
    return change(null, "AddSecurityKey", {}, (r) => {
      if (r.__typename !== "SecurityKeyMethodChosen") return false;
      showKeyRegistration("add", r.creationOptions, message);
      return true;
    });
  }
  const setup = await call(null, "StartMfaSetup");
  if (!setup) return;
  if (setup.startMfaSetup.__typename !== "MfaMethodSelection") return commonError(setup.startMfaSetup);
  const data = await call(null, "ChooseMfaMethod", { method: "SECURITY_KEY" });
  if (!data) return;
  const result = data.chooseMfaMethod;
  if (result.__typename === "SecurityKeyMethodChosen") {
    return showKeyRegistration("enroll", result.creationOptions, message);
  }
  const selection = setup.startMfaSetup;
  showMethodSelection(selection.allowedMethods, selection.recommendedMethod, null, result.message);
}

export function showKeyRegistration(purpose, creationOptions, message = null) {
  const name = field({
    label: t("Key name"),
    name: "keyName",
    autocomplete: "off",
    maxlength: "64",
    hint: t("A name to tell your keys apart, such as \u201cBlue USB key\u201d or \u201cWork laptop\u201d."),
  });
  screen(
    t("Register Your Security Key"),
    notice(message),
    h(
      "ol",
      { class: "steps" },
      h("li", {}, t("Give the key a name.")),
      h(
        "li",
        {},
        t("Select Register Security Key. Your browser asks you to insert and touch your security key, " +
          "or to confirm with your fingerprint, face or screen lock to create a passkey."),
      ),
    ),
    form(
      async (submit) => {
        clearErrors(name);
        const keyName = name.input.value.trim();
        if (keyName.length > 64) return name.error(t("Use at most 64 characters."));
        const credential = await busy(submit, () => createCredential(creationOptions));
        if (!credential) return;
        const data = await call(submit, "RegisterSecurityKey", { credential, name: keyName || null });
        if (!data) return;
        const result = data.registerSecurityKey;
        switch (result.__typename) {
          case "RecoveryCodeIssued":
            return showRecoveryCode(result.recoveryCode, "enroll");
          case "SecurityKeyAdded":
            return refresh(t("Your security key \u201c{name}\u201d was added.", { name: result.securityKey.name }));
          case "ReauthenticationRequiredError":
            return showReauth(result.methods, () => restartKeyRegistration("add"));
          case "CodeExpiredError":
            return restartKeyRegistration(purpose, t("The request expired. Register your key again."));
          default:
            return commonError(result);
        }
      },
      name.wrap,
      h("button", { type: "submit", class: "primary" }, t("Register Security Key")),
    ),
    purpose === "add"
      ? backToAccount()
      : h(
          "div",
          { class: "aside" },
          button(t("Choose another method"), {
            class: "link",
            onclick: (e) => startSetup(e.currentTarget),
          }),
          button(t("Cancel and sign out"), { class: "link", onclick: (e) => signOut(e.currentTarget) }),
        ),
  );
}
