// The account's security keys and passkeys: the list, adding, renaming and removing one.
import { call, commonError } from "../calls.js";
import { field, h } from "../dom.js";
import { dateText, whenText } from "../format.js";
import { button, clearErrors, form, screen } from "../frame.js";
import { refresh } from "../router.js";
import { backToAccount } from "./account.js";
import { showKeyRegistration } from "./key-registration.js";
import { change } from "./reauth.js";
import { t } from "../i18n.js";

function showRenameKey(key) {
  const name = field({ label: t("New name"), name: "keyName", autocomplete: "off", maxlength: "64", value: key.name });
  screen(
    t("Rename Security Key"),
    h("p", {}, t("Give \u201c{name}\u201d a name you will recognise.", { name: key.name })),
    form(
      async (submit) => {
        clearErrors(name);
        const value = name.input.value.trim();
        if (!value) return name.error(t("Enter a name."));
        if (value.length > 64) return name.error(t("Use at most 64 characters."));
        const data = await call(submit, "RenameSecurityKey", { id: key.id, name: value });
        if (!data) return;
        const result = data.renameSecurityKey;
        if (result.__typename === "SecurityKeyRenamed") {
          return refresh(t("Your security key is now called \u201c{name}\u201d.", { name: result.securityKey.name }));
        }
        commonError(result);
      },
      name.wrap,
      h("button", { type: "submit", class: "primary" }, t("Save Name")),
    ),
    backToAccount(),
  );
}

// The key list, with Add Security Key where the company allows keys; nothing when neither.
export function keySection(viewer, allowed) {
  const keyItems = viewer.securityKeys.map((key) =>
    h(
      "li",
      { class: "factor" },
      h(
        "div",
        {},
        h("span", { class: "choice-name" }, key.name),
        key.backupEligible ? h("span", { class: "badge" }, t("Passkey")) : null,
        h(
          "span",
          { class: "choice-text" },
          key.lastUsedAt
            ? t("Added {date} \u00b7 Last used {when}", { date: dateText(key.createdAt), when: whenText(key.lastUsedAt) })
            : t("Added {date} \u00b7 Not used yet", { date: dateText(key.createdAt) }),
        ),
      ),
      h(
        "div",
        { class: "actions" },
        button(t("Rename"), { "aria-label": t("Rename {name}", { name: key.name }), onclick: () => showRenameKey(key) }),
        button(t("Remove"), {
          "aria-label": t("Remove {name}", { name: key.name }),
          onclick: (e) =>
            change(e.currentTarget, "RemoveSecurityKey", { id: key.id }, (r) => {
              if (r.__typename !== "SecurityKeyRemoved") return false;
              refresh(t("Your security key \u201c{name}\u201d was removed.", { name: key.name }));
              return true;
            }),
        }),
      ),
    ),
  );
  const keysAllowed = allowed.includes("SECURITY_KEY");
  return (
    (keysAllowed || keyItems.length) &&
    h(
      "section",
      { "aria-labelledby": "keys-title" },
      h("h2", { id: "keys-title" }, t("Security keys and passkeys")),
      keyItems.length
        ? h("ul", { class: "factors", "aria-label": t("Your security keys") }, keyItems)
        : h("p", { class: "hint" }, t("No security key yet. A key or passkey cannot be phished.")),
      keysAllowed &&
        h(
          "div",
          { class: "actions" },
          button(t("Add Security Key"), {
            onclick: (e) =>
              change(e.currentTarget, "AddSecurityKey", {}, (r) => {
                if (r.__typename !== "SecurityKeyMethodChosen") return false;
                showKeyRegistration("add", r.creationOptions);
                return true;
              }),
          }),
        ),
    )
  );
}
