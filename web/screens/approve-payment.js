// 'Approve Payment' at /approve/<id>: what a payments service asks the user to approve, in large
// type, the method, the code (or the security key), Approve and Decline. The approval is read
// from the API each time, so a reload shows it again where it stands.
import { call, commonError } from "../calls.js";
import { clock, h, nextId } from "../dom.js";
import { attemptsText, METHOD_NAMES } from "../format.js";
import { busy, button, clearErrors, codeField, form, notice, privacyNotice, screen, stepError } from "../frame.js";
import { showSignIn } from "./sign-in.js";
import { getCredential } from "../webauthn.js";
import { holdNotice } from "./holds.js";
import { autofillCode } from "../webotp.js";
import { locale, t, translated } from "../i18n.js";

const PATH = /\/approve\/([^/]+)\/?$/;

// The approval id of a page opened at /approve/<id>, else null.
export function approvalIdFromPath() {
  const match = PATH.exec(window.location.pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

const WHAT = translated(() => ({
  DISBURSEMENT: t("You are approving a payment of"),
  BANK_ACCOUNT_CHANGE: t("You are approving a new bank account for"),
  AGREEMENT_SIGNATURE: t("You are signing"),
  PAYMENTS_ACCESS: t("You are granting payments access:"),
}));

const OUTCOMES = translated(() => ({
  APPROVED: [t("Payment Approved"), t("You approved this transaction. You can return to the payments app.")],
  REDEEMED: [t("Payment Approved"), t("You approved this transaction and it is being carried out.")],
  DECLINED: [t("Payment Declined"), t("You declined this transaction. Nothing will be paid.")],
  EXPIRED: [t("Approval Expired"), t("This approval has expired. Return to the payments app and start again.")],
}));

// Reads the approval and shows it: to decide when pending, else how it ended.
export async function showApprovePayment(id, message = null) {
  const data = await call(null, "TransactionApproval", { id });
  if (!data) return;
  const approval = data.transactionApproval;
  if (!approval) {
    return screen(
      t("Approval Not Found"),
      h("p", {}, t("There is no such approval for your account. Check the link from the payments app.")),
      accountLink(),
    );
  }
  if (approval.status !== "PENDING") return showOutcome(approval.status);
  return showDecision(approval, message, null, data.viewer ? data.viewer.holds : []);
}

function showOutcome(status, text = null) {
  const [title, body] = OUTCOMES[status] || OUTCOMES.EXPIRED;
  screen(title, h("p", { role: "status", class: "notice" }, text || body), accountLink());
}

function accountLink() {
  return h("p", { class: "aside" }, h("a", { href: new URL("../", window.location.href).href }, t("Go to your account")));
}

// The amount in the app's language through Intl ("12.400,00 US$"), its minor-unit digits from
// the same CLDR data the server uses; English keeps the server's own text ("USD 12,400.00").
function amountShown(approval) {
  if (locale() === "en" || approval.amountMinor === null || !approval.currency) return approval.amountText;
  try {
    const format = new Intl.NumberFormat(locale(), { style: "currency", currency: approval.currency });
    return format.format(approval.amountMinor / 10 ** format.resolvedOptions().maximumFractionDigits);
  } catch {
    return approval.amountText; // a currency this browser does not know
  }
}

function summary(approval) {
  const money = approval.action === "DISBURSEMENT";
  const headline = money ? amountShown(approval) : approval.payeeName || approval.description;
  return h(
    "div",
    { class: "approval", "aria-label": t("What you approve") },
    h("p", { class: "approval-what" }, WHAT[approval.action]),
    h("p", { class: "approval-amount" }, headline),
    money || approval.action === "BANK_ACCOUNT_CHANGE"
      ? h("p", { class: "approval-payee" }, money ? t("to {payee}", { payee: approval.payeeName }) : "")
      : null,
    approval.payeeReference ? h("p", { class: "hint" }, t("Account {reference}", { reference: approval.payeeReference })) : null,
    approval.description && headline !== approval.description ? h("p", {}, approval.description) : null,
    h("p", { class: "hint" }, t("This request expires at {time}.", { time: clock(approval.expiresAt) })),
  );
}

function methodChoice(methods, chosen, onChange) {
  if (methods.length < 2) return null;
  const options = methods.map((method) => {
    const id = nextId("approve-method");
    const input = h("input", { type: "radio", name: "approve-method", id, value: method, checked: method === chosen });
    input.addEventListener("change", () => onChange(method));
    return h("div", { class: "choice" }, input, h("label", { for: id }, h("span", { class: "choice-name" }, METHOD_NAMES[method])));
  });
  return h("fieldset", {}, h("legend", {}, t("Approve with")), options);
}

function showDecision(approval, message, chosen = null, holds = []) {
  const method = chosen && approval.methods.includes(chosen) ? chosen : approval.methods[0];
  if (!method) {
    return screen(
      t("Approve Payment"),
      holdNotice(holds),
      summary(approval),
      h("p", {}, t("Your account has no second factor that can approve payments. Text messages cannot approve on a phone number shared with another company or on a VoIP number.")),
    );
  }
  const code = method === "SECURITY_KEY" ? null : codeField(method === "SMS" ? t("6-digit code from the text message") : t("6-digit code from your authenticator app"));
  const status = h("p", { class: "notice", role: "status", hidden: true });
  const decline = button(t("Decline"));
  decline.addEventListener("click", async () => {
    clearErrors(...(code ? [code] : []));
    const data = await call(decline, "DeclineTransaction", { approvalId: approval.id });
    if (!data) return;
    const result = data.declineTransaction;
    if (result.__typename === "TransactionDeclined") return showOutcome("DECLINED");
    refusal(approval, result);
  });
  const texting =
    method === "SMS"
      ? button(t("Text Me a Code"), {
          class: "link",
          onclick: async (e) => {
            clearErrors(code);
            const data = await call(e.currentTarget, "SendTransactionCode", { approvalId: approval.id });
            if (!data) return;
            const result = data.sendTransactionCode;
            if (result.__typename === "TransactionCodeSent") {
              status.textContent = t("We texted a code to {phone}. It names the amount and payee: check them.", {
                phone: result.maskedPhoneNumber,
              });
              status.hidden = false;
              code.input.focus();
              return;
            }
            refusal(approval, result);
          },
        })
      : null;
  const decision = form(
    async (submit) => answer(submit, approval, method, code),
    method === "SECURITY_KEY"
      ? h("p", {}, t("Touch your security key or confirm with your passkey when your browser asks."))
      : null,
    texting ? h("div", { class: "actions" }, texting) : null,
    status,
    code ? code.wrap : null,
    code ? privacyNotice() : null,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("Approve")), decline),
  );
  screen(
    t("Approve Payment"),
    notice(message),
    holdNotice(holds),
    summary(approval),
    methodChoice(approval.methods, method, (other) => showDecision(approval, null, other, holds)),
    decision,
  );
  // The texted code fills itself in where the browser reads it (WebOTP).
  if (method === "SMS") autofillCode(code, decision);
}

async function answer(submit, approval, method, code) {
  clearErrors(...(code ? [code] : []));
  let typed;
  if (method === "SECURITY_KEY") {
    const data = await call(submit, "StartTransactionKeyChallenge", { approvalId: approval.id });
    if (!data) return;
    const started = data.startTransactionKeyChallenge;
    if (started.__typename !== "TransactionKeyChallengeStarted") return refusal(approval, started);
    typed = await busy(submit, () => getCredential(started.requestOptions));
    if (!typed) return;
  } else {
    typed = code.input.value.replace(/\s/g, "");
    if (!/^\d{6}$/.test(typed)) return code.error(t("Enter the 6 digits of your code."));
  }
  const data = await call(submit, "ApproveTransaction", { approvalId: approval.id, code: typed, method });
  if (!data) return;
  const result = data.approveTransaction;
  switch (result.__typename) {
    case "TransactionApproved":
      return showOutcome("APPROVED");
    case "WrongTransactionCodeError": {
      const text = attemptsText(result.message, result.attemptsRemaining);
      return code ? code.error(text) : stepError(text);
    }
    case "TransactionAttemptsExhaustedError":
      if (result.sessionEnded) return showSignIn(t("{message} Please sign in again.", { message: result.message }));
      return showOutcome("EXPIRED", t("{message} This approval can no longer be used.", { message: result.message }));
    case "CodeExpiredError":
      return stepError(method === "SMS" ? t("Ask for a code by text message first.") : result.message);
    default:
      return refusal(approval, result);
  }
}

// An approval decided elsewhere (another tab), expired, or gone: show where it stands now.
function refusal(approval, result) {
  const ended = [
    "TransactionApprovalExpiredError",
    "TransactionDeclinedError",
    "TransactionAlreadyDecidedError",
    "TransactionApprovalNotFoundError",
  ];
  if (ended.includes(result.__typename)) return showApprovePayment(approval.id);
  commonError(result);
}
