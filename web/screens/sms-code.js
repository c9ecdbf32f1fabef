// The texted 6-digit code: at enrollment, sign-in, phone change and reauthentication.
import { run } from "../api.js";
import { call, commonError } from "../calls.js";
import { clock, h, seconds } from "../dom.js";
import { button, clearErrors, codeField, form, notice, privacyNotice, screen } from "../frame.js";
import { refresh } from "../router.js";
import { state } from "../state.js";
import { autofillCode } from "../webotp.js";
import { backToAccount } from "./account.js";
import { challengeLinks, trustChoice } from "./challenge.js";
import { reauthenticate, showReauth } from "./reauth.js";
import { showRecoveryCode } from "./recovery-code.js";
import { cancelLink } from "./sign-in.js";
import { showSmsSetup } from "./sms-setup.js";
import { t } from "../i18n.js";

// The 6-digit code of a text message: enrollment, sign-in, phone change, or reauthentication.
export function showCodeEntry(purpose, enrollment, message = null) {
  const code = codeField();
  const resend = button(t("Resend New Code"), { class: "link" });
  const countdown = h("p", { class: "hint countdown" });
  const expiry = h("p", { class: "hint" });
  let sent = enrollment;

  function describe() {
    const parts = [];
    if (sent.codeExpiresAt) parts.push(t("Your code expires at {time}.", { time: clock(sent.codeExpiresAt) }));
    if (sent.attemptsRemaining !== null && sent.attemptsRemaining !== undefined) {
      parts.push(
        sent.attemptsRemaining === 1
          ? t("1 attempt left.")
          : t("{count} attempts left.", { count: sent.attemptsRemaining }),
      );
    }
    expiry.textContent = parts.join(" ");
  }

  function tick() {
    const wait = sent.resendAvailableAt ? (new Date(sent.resendAvailableAt) - Date.now()) / 1000 : 0;
    if (wait > 0) {
      resend.disabled = true;
      countdown.textContent = t("You can ask for a new code in {wait}.", { wait: seconds(wait) });
    } else {
      resend.disabled = false;
      countdown.textContent = "";
    }
  }

  // The provider may report later that the text never arrived: say so, and offer the resend at
  // once (the server lifted its delay; the new code goes out through another route).
  const notDelivered = t("Your last text was not delivered. Send a new code: it goes out another way.");
  function undelivered(report) {
    if (!report || !report.lastTextNotDelivered) return;
    sent = { ...sent, resendAvailableAt: report.resendAvailableAt, lastTextNotDelivered: false };
    status.textContent = notDelivered;
    tick();
  }
  async function watchDelivery() {
    try {
      undelivered((await run("TextDelivery")).mfaEnrollment);
    } catch {
      // the next poll, or the next step's own call, says what went wrong
    }
  }

  const resendOperation = { enroll: "ResendSmsCode", login: "SendLoginCode", reauth: "SendReauthenticationCode" }[
    purpose
  ];
  resend.addEventListener("click", async () => {
    clearErrors(code);
    const data = await call(resend, resendOperation);
    if (!data) return;
    const result = Object.values(data)[0];
    if (result.__typename === "SmsCodeSent") {
      sent = {
        ...sent,
        codeExpiresAt: result.expiresAt,
        resendAvailableAt: result.resendAvailableAt,
        maskedPhoneNumber: result.maskedPhoneNumber,
        attemptsRemaining: null,
      };
      describe();
      tick();
      status.textContent = t("We sent a new code to {phone}. The old code no longer works.", {
        phone: result.maskedPhoneNumber,
      });
      code.input.focus();
      return;
    }
    commonError(result, code);
  });

  // A wrong code: the field says how many attempts are left, and so does the summary.
  function judged(result) {
    if (result.__typename === "InvalidCodeError") {
      sent = { ...sent, attemptsRemaining: result.attemptsRemaining };
      describe();
    }
    return commonError(result, code);
  }

  async function submit(submitButton) {
    clearErrors(code);
    const value = code.input.value.replace(/\s/g, "");
    if (!/^\d{6}$/.test(value)) return code.error(t("Enter the 6 digits of your code."));
    if (purpose === "enroll") {
      const data = await call(submitButton, "VerifySmsCode", { code: value });
      if (!data) return;
      const result = data.verifySmsCode;
      if (result.__typename === "RecoveryCodeIssued") return showRecoveryCode(result.recoveryCode, "enroll");
      return judged(result);
    }
    if (purpose === "login") {
      const variables = { code: value, method: "SMS", trustBrowser: trust.checked() };
      const data = await call(submitButton, "VerifyLoginCode", variables);
      if (!data) return;
      const result = data.verifyLoginCode;
      if (result.__typename === "LoggedIn") return refresh();
      return judged(result);
    }
    if (purpose === "reauth") return reauthenticate(submitButton, value, "SMS", code);
    const data = await call(submitButton, "ConfirmPhoneNumberChange", { code: value });
    if (!data) return;
    const result = data.confirmPhoneNumberChange;
    if (result.__typename === "PhoneNumberChanged") return refresh(t("Your phone number was changed."));
    if (result.__typename === "ReauthenticationRequiredError") {
      return showReauth(result.methods, () => refresh());
    }
    return judged(result);
  }

  const status = h("p", { class: "notice", role: "status" });
  const trust = purpose === "login" ? trustChoice(enrollment) : trustChoice(null);
  const entry = form(
    submit,
    code.wrap,
    expiry,
    trust.node,
    h("button", { type: "submit", class: "primary" }, t("Continue")),
  );
  const yourPhone = t("your phone");
  const titles = {
    enroll: t("Enter the 6-Digit Verification Code"),
    login: t("Enter the 6-Digit Verification Code"),
    change: t("Confirm Your New Phone Number"),
    reauth: t("Confirm It's You"),
  };
  screen(
    titles[purpose],
    notice(message),
    status,
    h("p", {}, t("We sent a text message with a 6-digit code to {phone}.", { phone: sent.maskedPhoneNumber || yourPhone })),
    privacyNotice(),
    entry,
    resendOperation
      ? h("div", { class: "aside" }, h("p", { class: "resend" }, t("Didn't get the text? "), resend), countdown)
      : h(
          "p",
          { class: "aside" },
          button(t("Use a different number"), { class: "link", onclick: () => showSmsSetup("change") }),
        ),
    purpose === "login" ? challengeLinks(enrollment) : null,
    purpose === "enroll" ? cancelLink() : null,
    purpose === "change" || purpose === "reauth" ? backToAccount() : null,
  );
  describe();
  tick();
  undelivered(enrollment);
  state.timers.push(setInterval(tick, 1000));
  if (resendOperation) state.timers.push(setInterval(watchDelivery, DELIVERY_POLL_MS));
  autofillCode(code, entry);
}

const DELIVERY_POLL_MS = 10000;
