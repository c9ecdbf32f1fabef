// The account's security keys and passkeys: the list, adding, renaming and removing one.
import { call, commonError } from "../calls.js";
import { field, h } from "../dom.js";
import { dateText, whenText } from "../format.js";
import { button, clearErrors, form, screen } from "../frame.js";
import { refresh } from "../router.js";
import { backToAccount } from "./account.js";
import { showKeyRegistration } from "./key-registration.js";
import { change } from "./reauth.js";

function showRenameKey(key) {
  const name = field({ label: "New name", name: "keyName", autocomplete: "off", maxlength: "64", value: key.name });
  screen(
    "Rename Security Key",
    h("p", {}, `Give \u201c${key.name}\u201d a name you will recognise.`),
    form(
      async (submit) => {
        clearErrors(name);
        const value = name.input.value.trim();
        if (!value) return name.error("Enter a name.");
        if (value.length > 64) return name.error("Use at most 64 characters.");
        const data = await call(submit, "RenameSecurityKey", { id: key.id, name: value });
        if (!data) return;
        const result = data.renameSecurityKey;
        if (result.__typename === "SecurityKeyRenamed") {
          return refresh(`Your security key is now called \u201c${result.securityKey.name}\u201d.`);
        }
        commonError(result);
      },
      name.wrap,
      h("button", { type: "submit", class: "primary" }, "Save Name"),
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
        key.backupEligible ? h("span", { class: "badge" }, "Passkey") : null,
        h(
          "span",
          { class: "choice-text" },
          `Added ${dateText(key.createdAt)} \u00b7 ` +
            (key.lastUsedAt ? `Last used ${whenText(key.lastUsedAt)}` : "Not used yet"),
        ),
      ),
      h(
        "div",
        { class: "actions" },
        button("Rename", { "aria-label": `Rename ${key.name}`, onclick: () => showRenameKey(key) }),
        button("Remove", {
          "aria-label": `Remove ${key.name}`,
          onclick: (e) =>
            change(e.currentTarget, "RemoveSecurityKey", { id: key.id }, (r) => {
              if (r.__typename !== "SecurityKeyRemoved") return false;
              refresh(`Your security key \u201c${key.name}\u201d was removed.`);
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
      h("h2", { id: "keys-title" }, "Security keys and passkeys"),
      keyItems.length
        ? h("ul", { class: "factors", "aria-label": "Your security keys" }, keyItems)
        : h("p", { class: "hint" }, "No security key yet. A key or passkey cannot be phished."),
      keysAllowed &&
        h(
          "div",
          { class: "actions" },
          button("Add Security Key", {
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
