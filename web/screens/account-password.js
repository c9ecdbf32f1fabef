// 'Change password', a section of the account screen: after a recent second factor (the
// reauthentication prompt) and with the current password; other sessions end.
import { field, h } from "../dom.js";
import { form } from "../frame.js";
import { refresh } from "../router.js";
import { weakText } from "./password.js";
import { change } from "./reauth.js";
import { t } from "../i18n.js";

export function passwordSection() {
  const current = field({
    label: t("Current password"),
    name: "current-password",
    type: "password",
    autocomplete: "current-password",
  });
  const next = field({ label: t("New password"), name: "new-password", type: "password", autocomplete: "new-password" });
  return h(
    "section",
    { "aria-labelledby": "password-title" },
    // Not "Password" alone: that name is the sign-in screen's field, which tests look up by it.
    h("h2", { id: "password-title" }, t("Change Password")),
    form(
      async (submit) => {
        current.error(null);
        next.error(null);
        if (!current.input.value) return current.error(t("Enter your current password."));
        if (!next.input.value) return next.error(t("Enter a new password."));
        const variables = { currentPassword: current.input.value, newPassword: next.input.value };
        await change(submit, "ChangePassword", variables, (r) => {
          switch (r.__typename) {
            case "PasswordChanged":
              refresh(t("Your password was changed. Your other sessions were signed out."));
              return true;
            case "InvalidCredentialsError":
              current.error(r.message);
              return true;
            case "WeakPasswordError":
              next.error(weakText(r));
              return true;
            default:
              return false;
          }
        });
      },
      current.wrap,
      next.wrap,
      h("button", { type: "submit" }, t("Change Password")),
    ),
  );
}
