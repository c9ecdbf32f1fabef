// The account's trusted browsers (those that skip the second factor): the list, and forgetting them.
import { call } from "../calls.js";
import { h } from "../dom.js";
import { browserName, dateText, whenText } from "../format.js";
import { button } from "../frame.js";
import { refresh } from "../router.js";

async function forgetBrowsers(submit, id) {
  const data = await call(submit, "ForgetTrustedBrowsers", { id });
  if (!data) return;
  const forgotten = data.forgetTrustedBrowsers.forgotten;
  refresh(
    id
      ? "That browser is no longer trusted: signing in there asks for a second factor again."
      : `${forgotten} ${forgotten === 1 ? "browser is" : "browsers are"} no longer trusted.`,
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
      h("h2", { id: "browsers-title" }, "Trusted browsers"),
      h("p", { class: "hint" }, "Signing in on these browsers skips the second factor until the date shown."),
      h(
        "ul",
        { class: "factors", "aria-label": "Your trusted browsers" },
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
                `Last used ${whenText(b.lastUsedAt)} \u00b7 ` +
                  (new Date(b.expiresAt) > Date.now() ? `trusted until ${dateText(b.expiresAt)}` : "expired"),
              ),
            ),
            h(
              "div",
              { class: "actions" },
              button("Forget", {
                "aria-label": `Forget browser ${i + 1} (${browserName(b.userAgent)})`,
                onclick: (e) => forgetBrowsers(e.currentTarget, b.id),
              }),
            ),
          ),
        ),
      ),
      h(
        "div",
        { class: "actions" },
        button("Forget All Browsers", { onclick: (e) => forgetBrowsers(e.currentTarget, null) }),
      ),
    )
  );
}
