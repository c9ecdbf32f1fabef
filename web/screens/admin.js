// A company admin's MFA reset for a user of their company, a section of the account screen.
import { field, h, nextId } from "../dom.js";
import { form } from "../frame.js";
import { refresh } from "../router.js";
import { change } from "./reauth.js";
import { t } from "../i18n.js";

// Only company admins may reset a user's MFA; nobody else is shown the form.
export function adminSection(viewer) {
  if (!viewer.isCompanyAdmin) return null;
  const adminEmail = field({ label: t("User's email"), name: "adminEmail", type: "email", autocomplete: "off" });
  const verifiedId = nextId("verified");
  const verifiedError = h("p", { id: `${verifiedId}-error`, class: "field-error", hidden: true });
  const verified = h("input", { type: "checkbox", id: verifiedId });
  const adminStatus = h("p", { class: "notice", role: "status" });
  const adminAlert = h("p", { class: "alert", role: "alert", tabindex: "-1", hidden: true });
  return h(
    "section",
    { "aria-labelledby": "admin-title", class: "admin" },
    h("h2", { id: "admin-title" }, t("Company admins: reset a user's MFA")),
    h(
      "p",
      { class: "hint" },
      t("Removes the user's second factors and recovery code; they set up two-factor " +
        "authentication again at their next sign-in."),
    ),
    adminAlert,
    adminStatus,
    form(
      async (submit) => {
        adminEmail.error(null);
        adminAlert.hidden = true;
        adminStatus.textContent = "";
        verifiedError.hidden = true;
        verified.removeAttribute("aria-invalid");
        const email = adminEmail.input.value.trim();
        if (!email) return adminEmail.error(t("Enter the user's email."));
        const variables = { email, verifiedUserRequest: verified.checked };
        await change(submit, "ResetUserMfa", variables, (r) => {
          switch (r.__typename) {
            case "UserMfaReset":
              refresh(t("MFA was reset for {email}. They will set it up again at their next sign-in.", { email: r.email }));
              return true;
            case "MfaResetRequested":
              refresh(t("Another admin of your company must approve the MFA reset of {email}.", { email: r.request.userEmail }));
              return true;
            case "UserRequestNotVerifiedError":
              verifiedError.textContent = r.message;
              verifiedError.hidden = false;
              verified.setAttribute("aria-invalid", "true");
              verified.setAttribute("aria-describedby", verifiedError.id);
              verified.focus();
              return true;
            case "UserNotFoundError":
            case "CannotResetOwnMfaError":
              adminEmail.error(r.message);
              return true;
            case "NotCompanyAdminError":
            case "SecondAdminRequiredError":
              adminAlert.textContent = r.message;
              adminAlert.hidden = false;
              adminAlert.focus();
              return true;
            default:
              return false;
          }
        });
      },
      adminEmail.wrap,
      h(
        "div",
        { class: "check" },
        verified,
        h("label", { for: verifiedId }, t("I have verified the user's request")),
      ),
      verifiedError,
      h("button", { type: "submit" }, t("Reset MFA")),
    ),
  );
}
