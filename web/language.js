// The language switcher in the page's header: the choice is kept on this browser and, signed
// in, saved as the user's setting when the server offers it (setPreferredLanguage).
import { run } from "./api.js";
import { h } from "./dom.js";
import { languages, locale, storeChoice, t, useLanguage } from "./i18n.js";

// A language's own name for itself ("English", "Español"), so anyone can find theirs.
function ownName(code) {
  try {
    const name = new Intl.DisplayNames([code], { type: "language" }).of(code);
    return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
  } catch {
    return code;
  }
}

// Draws (or redraws, in the new language) the switcher; `redraw` shows the screen again.
export function showLanguageSwitcher(redraw, signedIn = () => false) {
  const place = document.getElementById("language");
  if (!place || languages().length < 2) return;
  const select = h(
    "select",
    { id: "language-select", "aria-label": t("Language") },
    languages().map((code) => h("option", { value: code, lang: code, selected: code === locale() }, ownName(code))),
  );
  select.addEventListener("change", async () => {
    const chosen = select.value;
    storeChoice(chosen);
    await useLanguage(chosen);
    if (signedIn()) {
      // A refusal keeps the choice on this browser: nothing to show beyond the new language.
      await run("SetPreferredLanguage", { locale: chosen }).catch(() => null);
    }
    showLanguageSwitcher(redraw, signedIn);
    redraw();
  });
  place.replaceChildren(select);
}
