// Signing in with a recovery code in place of the second factor.
import { call, commonError } from "../calls.js";
import { field, h } from "../dom.js";
import { button, clearErrors, form, screen } from "../frame.js";
import { showChallenge } from "./challenge.js";
import { showRecoveryCode } from "./recovery-code.js";

export function showRecoveryLogin(enrollment) {
  const recovery = field({
    label: "Recovery code",
    name: "recoveryCode",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    hint: "The code you saved when you set up two-factor authentication.",
  });
  screen(
    "Use a Recovery Code",
    h("p", {}, "A recovery code works once. After you use it, you will save a new one."),
    form(
      async (submit) => {
        clearErrors(recovery);
        if (!recovery.input.value.trim()) return recovery.error("Enter your recovery code.");
        const data = await call(submit, "LogInWithRecoveryCode", { recoveryCode: recovery.input.value.trim() });
        if (!data) return;
        const result = data.logInWithRecoveryCode;
        if (result.__typename === "RecoveryCodeIssued") {
          return showRecoveryCode(
            result.recoveryCode,
            "login",
            "Your recovery code worked and is now used up. Save this new one before you continue.",
          );
        }
        if (result.__typename === "InvalidCodeError") {
          return recovery.error(`${result.message} ${result.attemptsRemaining} attempts left.`);
        }
        commonError(result);
      },
      recovery.wrap,
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    h("p", { class: "aside" }, button("Back", { class: "link", onclick: () => showChallenge(enrollment) })),
  );
}
