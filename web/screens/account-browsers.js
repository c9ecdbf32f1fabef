// The account's trusted browsers (those that skip the second factor): the list, and forgetting them.
import { call } from "../calls.js";
import { h } from "../dom.js";
import { browserName, dateText, whenText } from "../format.js";
import { button } from "../frame.js";
import { refresh } from "../router.js";
import { t } from "../i18n.js";

async function forgetBrowsers(submit, id) {
  const data = await call(submit, "ForgetTrustedBrowsers", { id });
  if (!data) return;
  const forgotten = data.forgetTrustedBrowsers.forgotten;
  refresh(
    id
      ? t("That browser is no longer trusted: signing in there asks for a second factor again.")
      : forgotten === 1
        ? t("1 browser is no longer trusted.")
        : t("{count} browsers are no longer trusted.", { count: forgotten }),
  );
}

// Shown only while some browser is trusted.
export function browserSection(viewer) {
  const browsers = viewer.trustedBrowsers;
  return (
    browsers.length > 0 &&
    h(
      "section",
      { "aria-labelledby": "browsers-title" },
      h("h2", { id: "browsers-title" }, t("Trusted browsers")),
      h("p", { class: "hint" }, t("Signing in on these browsers skips the second factor until the date shown.")),
      h(
        "ul",
        { class: "factors", "aria-label": t("Your trusted browsers") },
        browsers.map((b, i) =>
          h(
            "li",
            { class: "factor" },
            h(
              "div",
              {},
              h("span", { class: "choice-name ua" }, browserName(b.userAgent)),
              h("span", { class: "choice-text ua" }, b.userAgent),
              h(
                "span",
                { class: "choice-text" },
                new Date(b.expiresAt) > Date.now()
                  ? t("Last used {when} \u00b7 trusted until {date}", { when: whenText(b.lastUsedAt), date: dateText(b.expiresAt) })
                  : t("Last used {when} \u00b7 expired", { when: whenText(b.lastUsedAt) }),
              ),
            ),
            h(
              "div",
              { class: "actions" },
              button(t("Forget"), {
                "aria-label": t("Forget browser {number} ({name})", { number: i + 1, name: browserName(b.userAgent) }),
                onclick: (e) => forgetBrowsers(e.currentTarget, b.id),
              }),
            ),
          ),
        ),
      ),
      h(
        "div",
        { class: "actions" },
        button(t("Forget All Browsers"), { onclick: (e) => forgetBrowsers(e.currentTarget, null) }),
      ),
    )
  );
}
