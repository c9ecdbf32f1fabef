// A company admin's 'Invite a user' and the invitations still pending, a section of the account screen.
import { call } from "../calls.js";
import { field, h, nextId } from "../dom.js";
import { dateText } from "../format.js";
import { button, form } from "../frame.js";
import { refresh } from "../router.js";
import { change } from "./reauth.js";

const ROLES = [
  ["PAYEE", "Payee (gets paid)"],
  ["PAYOR", "Payor (pays)"],
  ["NONE", "Not a payments user"],
];

export function inviteSection(viewer) {
  if (!viewer.isCompanyAdmin) return null;
  const email = field({ label: "Their email", name: "inviteEmail", type: "email", autocomplete: "off" });
  const roleId = nextId("role");
  const role = h("select", { id: roleId }, ...ROLES.map(([value, text]) => h("option", { value }, text)));
  const adminId = nextId("make-admin");
  const admin = h("input", { type: "checkbox", id: adminId });
  const pending = h("ul", { class: "invitations" });
  const section = h(
    "section",
    { "aria-labelledby": "invite-title", class: "admin" },
    h("h2", { id: "invite-title" }, "Invite a user"),
    h("p", { class: "hint" }, "They get an email with a link that works for 7 days."),
    form(
      async (submit) => {
        email.error(null);
        const address = email.input.value.trim();
        if (!address) return email.error("Enter their email.");
        const variables = { email: address, role: role.value, admin: admin.checked };
        await change(submit, "InviteUser", variables, (r) => {
          if (r.__typename === "InvitationSent") {
            refresh(`Invitation sent to ${r.invitation.email}.`);
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
      h("div", { class: "field" }, h("label", { for: roleId }, "Role"), role),
      h("div", { class: "check" }, admin, h("label", { for: adminId }, "Make them a company admin")),
      h("button", { type: "submit" }, "Send Invitation"),
    ),
    h("h3", {}, "Pending invitations"),
    pending,
  );
  listPending(pending);
  return section;
}

async function listPending(list) {
  const data = await call(null, "PendingInvitations");
  const rows = (data && data.pendingInvitations) || [];
  if (!rows.length) return list.replaceChildren(h("li", {}, "None."));
  list.replaceChildren(
    ...rows.map((row) =>
      h(
        "li",
        {},
        `${row.email} (until ${dateText(row.expiresAt)}) `,
        button("Resend", {
          onclick: (e) =>
            change(e.currentTarget, "ResendInvitation", { id: row.id }, (r) => {
              if (r.__typename !== "InvitationSent") return false;
              refresh(`Invitation sent again to ${row.email}.`);
              return true;
            }),
        }),
        " ",
        button("Revoke", {
          onclick: async (e) => {
            const done = await call(e.currentTarget, "RevokeInvitation", { id: row.id });
            if (done) refresh(`The invitation of ${row.email} no longer works.`);
          },
        }),
      ),
    ),
  );
}
