// 'Save Your Recovery Code': shown once after enrollment, recovery or regeneration.
import { call, commonError } from "../calls.js";
import { h, nextId } from "../dom.js";
import { button, clearErrors, form, notice, screen, stepError } from "../frame.js";
import { refresh } from "../router.js";
import { state } from "../state.js";
import { showReauth } from "./reauth.js";

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
      "The page was reloaded, so here is a new recovery code in place of the one shown before.",
    );
  }
  if (result.__typename === "ReauthenticationRequiredError") {
    return showReauth(result.methods, () => showRecoveryCodeAgain(purpose));
  }
  screen("Save Your Recovery Code");
  commonError(result);
}

export function showRecoveryCode(recoveryCode, purpose, message = null) {
  state.recoveryCode = recoveryCode;
  const checkId = nextId("saved");
  const copyStatus = h("span", { class: "copy-status", role: "status" });
  const cont = h("button", { type: "submit", class: "primary", disabled: true }, "Continue");
  const check = h("input", {
    type: "checkbox",
    id: checkId,
    onchange: (e) => {
      cont.disabled = !e.currentTarget.checked;
    },
  });
  screen(
    "Save Your Recovery Code",
    notice(message),
    h(
      "p",
      {},
      "If your phone or security key is lost or damaged, this code lets you sign in and set up two-factor " +
        "authentication on a new device. Each recovery code works only once; after you use it, " +
        "you get a new one to save.",
    ),
    h(
      "aside",
      { class: "warning", "aria-label": "Warning" },
      h("strong", {}, "Save it somewhere safe "),
      "that you can reach from another device, such as a password manager.",
    ),
    h("p", { class: "recovery", id: "recovery-code" }, recoveryCode),
    h(
      "div",
      { class: "actions" },
      button("Copy", {
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(recoveryCode);
            copyStatus.textContent = "Copied.";
          } catch {
            copyStatus.textContent = "Copying is blocked here: select the code and copy it yourself.";
          }
        },
      }),
      button("Download", {
        onclick: () => {
          const text = `Twofold recovery code\n\n${recoveryCode}\n\nEach recovery code works only once.\n`;
          const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
          const link = h("a", { href: url, download: "twofold-recovery-code.txt" });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
          copyStatus.textContent = "Downloaded twofold-recovery-code.txt.";
        },
      }),
      copyStatus,
    ),
    form(
      async (submit) => {
        clearErrors();
        if (!check.checked) return stepError("Mark the box once you have saved the code.");
        const data = await call(submit, "ConfirmRecoveryCodeSaved");
        if (!data) return;
        const result = data.confirmRecoveryCodeSaved;
        if (result.__typename === "LoggedIn" || result.__typename === "RecoveryCodeSaved") {
          state.recoveryCode = null;
          return refresh(purpose === "regenerate" ? "Your new recovery code is saved." : null);
        }
        commonError(result);
      },
      h("div", { class: "check" }, check, h("label", { for: checkId }, "I Have Securely Saved This Code")),
      cont,
    ),
  );
}
