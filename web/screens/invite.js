// A company admin's 'Invite a user' and the invitations still pending, a section of the account screen.
import { call } from "../calls.js";
import { field, h, nextId } from "../dom.js";
import { dateText } from "../format.js";
import { button, form } from "../frame.js";
import { refresh } from "../router.js";
import { change } from "./reauth.js";
import { t } from "../i18n.js";

// Built at each use, in the language of that moment.
const roles = () => [
  ["PAYEE", t("Payee (gets paid)")],
  ["PAYOR", t("Payor (pays)")],
  ["NONE", t("Not a payments user")],
];

export function inviteSection(viewer) {
  if (!viewer.isCompanyAdmin) return null;
  const email = field({ label: t("Their email"), name: "inviteEmail", type: "email", autocomplete: "off" });
  const roleId = nextId("role");
  const role = h("select", { id: roleId }, ...roles().map(([value, text]) => h("option", { value }, text)));
  const adminId = nextId("make-admin");
  const admin = h("input", { type: "checkbox", id: adminId });
  const pending = h("ul", { class: "invitations" });
  const section = h(
    "section",
    { "aria-labelledby": "invite-title", class: "admin" },
    h("h2", { id: "invite-title" }, t("Invite a user")),
    h("p", { class: "hint" }, t("They get an email with a link that works for 7 days.")),
    form(
      async (submit) => {
        email.error(null);
        const address = email.input.value.trim();
        if (!address) return email.error(t("Enter their email."));
        const variables = { email: address, role: role.value, admin: admin.checked };
        await change(submit, "InviteUser", variables, (r) => {
          if (r.__typename === "InvitationSent") {
            refresh(t("Invitation sent to {email}.", { email: r.invitation.email }));
            return true;
          }
          if (["AccountExistsError", "InvalidEmailError"].includes(r.__typename)) {
            email.error(r.message);
            return true;
          }
          return false;
        });
      },
      email.wrap,
      h("div", { class: "field" }, h("label", { for: roleId }, t("Role")), role),
      h("div", { class: "check" }, admin, h("label", { for: adminId }, t("Make them a company admin"))),
      h("button", { type: "submit" }, t("Send Invitation")),
    ),
    h("h3", {}, t("Pending invitations")),
    pending,
  );
  listPending(pending);
  return section;
}

async function listPending(list) {
  const data = await call(null, "PendingInvitations");
  const rows = (data && data.pendingInvitations) || [];
  if (!rows.length) return list.replaceChildren(h("li", {}, t("None.")));
  list.replaceChildren(
    ...rows.map((row) =>
      h(
        "li",
        {},
        t("{email} (until {date})", { email: row.email, date: dateText(row.expiresAt) }),
        " ",
        button(t("Resend"), {
          onclick: (e) =>
            change(e.currentTarget, "ResendInvitation", { id: row.id }, (r) => {
              if (r.__typename !== "InvitationSent") return false;
              refresh(t("Invitation sent again to {email}.", { email: row.email }));
              return true;
            }),
        }),
        " ",
        button(t("Revoke"), {
          onclick: async (e) => {
            const done = await call(e.currentTarget, "RevokeInvitation", { id: row.id });
            if (done) refresh(t("The invitation of {email} no longer works.", { email: row.email }));
          },
        }),
      ),
    ),
  );
}
