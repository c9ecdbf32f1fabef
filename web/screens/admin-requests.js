// 'MFA resets waiting for you': a second company admin approves another admin's MFA reset
// request (companies that require two admins), a section of the account screen.
import { call } from "../calls.js";
import { h } from "../dom.js";
import { whenText } from "../format.js";
import { button } from "../frame.js";
import { refresh } from "../router.js";
import { change } from "./reauth.js";
import { t } from "../i18n.js";

// Loads the company's pending requests into the section once it is on the page.
export function pendingResetsSection(viewer) {
  if (!viewer.isCompanyAdmin) return null;
  const list = h("ul", { class: "entries" });
  const section = h(
    "section",
    { "aria-labelledby": "pending-resets-title", class: "admin", hidden: true },
    h("h2", { id: "pending-resets-title" }, t("MFA resets waiting for a second admin")),
    h("p", { class: "hint" }, t("Another admin asked. Approve only after verifying the user's request yourself.")),
    list,
  );
  load(viewer, section, list);
  return section;
}

async function load(viewer, section, list) {
  const data = await call(null, "CompanyMfaResetRequests");
  const requests = (data && data.companyMfaResetRequests) || [];
  if (!requests.length) return;
  list.replaceChildren(...requests.map((request) => item(viewer, request)));
  section.hidden = false;
}

function item(viewer, request) {
  const alert = h("p", { class: "field-error", role: "alert", hidden: true });
  const mine = request.requestedByEmail === viewer.email;
  const formerAdmin = t("a former admin");
  return h(
    "li",
    { class: "entry" },
    h(
      "div",
      {},
      h("span", { class: "choice-name" }, request.userEmail),
      h(
        "span",
        { class: "choice-text" },
        t("Asked by {admin} on {asked}; expires {expires}.", {
          admin: request.requestedByEmail || formerAdmin,
          asked: whenText(request.createdAt),
          expires: whenText(request.expiresAt),
        }),
      ),
      alert,
    ),
    h(
      "div",
      { class: "actions" },
      mine
        ? h("span", { class: "hint" }, t("Waiting for another admin"))
        : button(t("Approve"), {
            "aria-label": t("Approve the MFA reset of {email}", { email: request.userEmail }),
            onclick: (e) =>
              change(e.currentTarget, "ApproveMfaReset", { requestId: request.id }, (r) => {
                if (r.__typename === "MfaResetApproved") {
                  refresh(t("MFA was reset for {email}. Payments wait 72 hours.", { email: r.request.userEmail }));
                  return true;
                }
                if (!r.message) return false;
                alert.textContent = r.message;
                alert.hidden = false;
                return true;
              }),
          }),
    ),
  );
}
