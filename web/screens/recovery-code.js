// 'Save Your Recovery Code': shown once after enrollment, recovery or regeneration.
import { call, commonError } from "../calls.js";
import { h, nextId } from "../dom.js";
import { button, clearErrors, form, notice, screen, stepError } from "../frame.js";
import { refresh } from "../router.js";
import { state } from "../state.js";
import { showReauth } from "./reauth.js";
import { t } from "../i18n.js";

export async function showRecoveryCodeAgain(purpose) {
  // The code is shown only once; after a reload a new one takes its place.
  if (state.recoveryCode) return showRecoveryCode(state.recoveryCode, purpose);
  const data = await call(null, "RegenerateRecoveryCode");
  if (!data) return;
  const result = data.regenerateRecoveryCode;
  if (result.__typename === "RecoveryCodeIssued") {
    return showRecoveryCode(
      result.recoveryCode,
      purpose,
      t("The page was reloaded, so here is a new recovery code in place of the one shown before."),
    );
  }
  if (result.__typename === "ReauthenticationRequiredError") {
    return showReauth(result.methods, () => showRecoveryCodeAgain(purpose));
  }
  screen(t("Save Your Recovery Code"));
  commonError(result);
}

export function showRecoveryCode(recoveryCode, purpose, message = null) {
  state.recoveryCode = recoveryCode;
  const checkId = nextId("saved");
  const copyStatus = h("span", { class: "copy-status", role: "status" });
  const cont = h("button", { type: "submit", class: "primary", disabled: true }, t("Continue"));
  const check = h("input", {
    type: "checkbox",
    id: checkId,
    onchange: (e) => {
      cont.disabled = !e.currentTarget.checked;
    },
  });
  screen(
    t("Save Your Recovery Code"),
    notice(message),
    h(
      "p",
      {},
      t("If your phone or security key is lost or damaged, this code lets you sign in and set up two-factor " +
        "authentication on a new device. Each recovery code works only once; after you use it, " +
        "you get a new one to save."),
    ),
    h(
      "aside",
      { class: "warning", "aria-label": t("Warning") },
      h("strong", {}, t("Save it somewhere safe ")),
      t("that you can reach from another device, such as a password manager."),
    ),
    h("p", { class: "recovery", id: "recovery-code" }, recoveryCode),
    h(
      "div",
      { class: "actions" },
      button(t("Copy"), {
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(recoveryCode);
            copyStatus.textContent = t("Copied.");
          } catch {
            copyStatus.textContent = t("Copying is blocked here: select the code and copy it yourself.");
          }
        },
      }),
      button(t("Download"), {
        onclick: () => {
          const lines = [t("Twofold recovery code"), "", recoveryCode, "", t("Each recovery code works only once."), ""];
          const text = lines.join("\n");
          const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
          const link = h("a", { href: url, download: "twofold-recovery-code.txt" });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
          copyStatus.textContent = t("Downloaded twofold-recovery-code.txt.");
        },
      }),
      copyStatus,
    ),
    form(
      async (submit) => {
        clearErrors();
        if (!check.checked) return stepError(t("Mark the box once you have saved the code."));
        const data = await call(submit, "ConfirmRecoveryCodeSaved");
        if (!data) return;
        const result = data.confirmRecoveryCodeSaved;
        if (result.__typename === "LoggedIn" || result.__typename === "RecoveryCodeSaved") {
          state.recoveryCode = null;
          return refresh(purpose === "regenerate" ? t("Your new recovery code is saved.") : null);
        }
        commonError(result);
      },
      h("div", { class: "check" }, check, h("label", { for: checkId }, t("I Have Securely Saved This Code"))),
      cont,
    ),
  );
}
