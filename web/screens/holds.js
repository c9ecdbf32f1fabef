// Cooling-off holds: after a risky change, payouts and bank-account changes wait. Shown on the
// account screen (each hold) and on the approval screen (why a payment may be refused).
import { h } from "../dom.js";
import { whenText } from "../format.js";

export const HOLD_REASONS = {
  MFA_RESET: "your two-factor authentication was reset by an administrator",
  RECOVERY_CODE_SIGN_IN: "someone signed in with your recovery code",
  PHONE_CHANGE: "your phone number was changed",
  FACTOR_ADDED: "a second factor was added",
  FACTOR_REMOVED: "a second factor was removed",
  PASSWORD_CHANGE: "your password was changed",
  PASSWORD_RESET: "your password was reset",
};

const NOT_YOU =
  "If you did not make this change, change your password now and contact your company administrator.";

// 'Payment holds' on the account screen; nothing while no hold runs.
export function holdSection(viewer) {
  const holds = viewer.holds || [];
  if (!holds.length) return null;
  return h(
    "section",
    { "aria-labelledby": "holds-title", class: "holds" },
    h("h2", { id: "holds-title" }, "Payment holds"),
    h(
      "p",
      { class: "hint" },
      `Payouts and bank-account changes are paused until ${whenText(holds[0].until)}. ` +
        "You can still sign in and use everything else.",
    ),
    h(
      "ul",
      { class: "entries" },
      holds.map((hold) =>
        h(
          "li",
          { class: "entry" },
          h(
            "div",
            {},
            h("span", { class: "choice-name" }, `Until ${whenText(hold.until)}`),
            h("span", { class: "choice-text" }, `Because ${HOLD_REASONS[hold.reason] || "of a recent change"} (${whenText(hold.startedAt)}).`),
          ),
        ),
      ),
    ),
    h("p", { class: "hint" }, NOT_YOU),
  );
}

// The approval screen's notice while a hold runs: payments and bank-account changes wait.
export function holdNotice(holds) {
  if (!holds || !holds.length) return null;
  const latest = holds[0];
  return h(
    "p",
    { class: "notice hold", role: "status" },
    `Payments from your account are paused until ${whenText(latest.until)} because ` +
      `${HOLD_REASONS[latest.reason] || "of a recent change"}. ${NOT_YOU}`,
  );
}
