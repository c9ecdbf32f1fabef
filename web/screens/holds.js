// Cooling-off holds: after a risky change, payouts and bank-account changes wait. Shown on the
// account screen (each hold) and on the approval screen (why a payment may be refused).
import { h } from "../dom.js";
import { whenText } from "../format.js";
import { t, translated } from "../i18n.js";

export const HOLD_REASONS = translated(() => ({
  MFA_RESET: t("your two-factor authentication was reset by an administrator"),
  RECOVERY_CODE_SIGN_IN: t("someone signed in with your recovery code"),
  PHONE_CHANGE: t("your phone number was changed"),
  FACTOR_ADDED: t("a second factor was added"),
  FACTOR_REMOVED: t("a second factor was removed"),
  PASSWORD_CHANGE: t("your password was changed"),
  PASSWORD_RESET: t("your password was reset"),
}));

const notYou = () =>
  t("If you did not make this change, change your password now and contact your company administrator.");

function reasonText(reason) {
  return HOLD_REASONS[reason] || t("of a recent change");
}

// 'Payment holds' on the account screen; nothing while no hold runs.
export function holdSection(viewer) {
  const holds = viewer.holds || [];
  if (!holds.length) return null;
  return h(
    "section",
    { "aria-labelledby": "holds-title", class: "holds" },
    h("h2", { id: "holds-title" }, t("Payment holds")),
    h(
      "p",
      { class: "hint" },
      t("Payouts and bank-account changes are paused until {when}. You can still sign in and use everything else.", {
        when: whenText(holds[0].until),
      }),
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
            h("span", { class: "choice-name" }, t("Until {when}", { when: whenText(hold.until) })),
            h(
              "span",
              { class: "choice-text" },
              t("Because {reason} ({when}).", {
                reason: reasonText(hold.reason),
                when: whenText(hold.startedAt),
              }),
            ),
          ),
        ),
      ),
    ),
    h("p", { class: "hint" }, notYou()),
  );
}

// The approval screen's notice while a hold runs: payments and bank-account changes wait.
export function holdNotice(holds) {
  if (!holds || !holds.length) return null;
  const latest = holds[0];
  return h(
    "p",
    { class: "notice hold", role: "status" },
    t("Payments from your account are paused until {when} because {reason}. {notYou}", {
      when: whenText(latest.until),
      reason: reasonText(latest.reason),
      notYou: notYou(),
    }),
  );
}
