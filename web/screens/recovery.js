// Signing in with a recovery code in place of the second factor.
import { call, commonError } from "../calls.js";
import { field, h } from "../dom.js";
import { button, clearErrors, form, screen } from "../frame.js";
import { showChallenge } from "./challenge.js";
import { showRecoveryCode } from "./recovery-code.js";
import { attemptsText } from "../format.js";
import { t } from "../i18n.js";

export function showRecoveryLogin(enrollment) {
  const recovery = field({
    label: t("Recovery code"),
    name: "recoveryCode",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    hint: t("The code you saved when you set up two-factor authentication."),
  });
  screen(
    t("Use a Recovery Code"),
    h("p", {}, t("A recovery code works once. After you use it, you will save a new one.")),
    form(
      async (submit) => {
        clearErrors(recovery);
        if (!recovery.input.value.trim()) return recovery.error(t("Enter your recovery code."));
        const data = await call(submit, "LogInWithRecoveryCode", { recoveryCode: recovery.input.value.trim() });
        if (!data) return;
        const result = data.logInWithRecoveryCode;
        if (result.__typename === "RecoveryCodeIssued") {
          return showRecoveryCode(
            result.recoveryCode,
            "login",
            t("Your recovery code worked and is now used up. Save this new one before you continue."),
          );
        }
        if (result.__typename === "InvalidCodeError") {
          return recovery.error(attemptsText(result.message, result.attemptsRemaining));
        }
        commonError(result);
      },
      recovery.wrap,
      h("button", { type: "submit", class: "primary" }, t("Continue")),
    ),
    h("p", { class: "aside" }, button(t("Back"), { class: "link", onclick: () => showChallenge(enrollment) })),
  );
}
