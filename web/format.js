// Words and formats the screens share: method names, dates, browser names, retry times.
import { clock, seconds } from "./dom.js";
import { locale, t, translated } from "./i18n.js";

export const METHOD_NAMES = translated(() => ({
  AUTHENTICATOR_APP: t("Authenticator App"),
  SECURITY_KEY: t("Security Key or Passkey"),
  SMS: t("SMS Verification"),
}));

// "Use ... instead" at the sign-in challenge and at reauthentication.
export const SWITCH_TEXT = translated(() => ({
  AUTHENTICATOR_APP: t("Use the authenticator app instead"),
  SECURITY_KEY: t("Use a security key instead"),
  SMS: t("Use a text message instead"),
}));

export function retryText(message, retryAfterSeconds) {
  const at = new Date(Date.now() + retryAfterSeconds * 1000).toISOString();
  return t("{message} You can try again at {time} (in {wait}).", {
    message,
    time: clock(at),
    wait: seconds(retryAfterSeconds),
  });
}

// "That code is not correct. 4 attempts left."
export function attemptsText(message, left) {
  const count = left === 1 ? t("1 attempt left") : t("{count} attempts left", { count: left });
  return t("{message} {attempts}.", { message, attempts: count });
}

export function dateText(iso) {
  return new Date(iso).toLocaleDateString(locale(), { year: "numeric", month: "short", day: "numeric" });
}

export function whenText(iso) {
  return t("{date}, {time}", { date: dateText(iso), time: clock(iso) });
}

// A short name for a User-Agent ("Chrome on Linux"); the full text is shown beside it.
export function browserName(userAgent) {
  const browser =
    [
      ["Edg/", "Edge"],
      ["Firefox/", "Firefox"],
      ["Chrome/", "Chrome"],
      ["Safari/", "Safari"],
    ].find(([mark]) => userAgent.includes(mark)) || [null, t("A browser")];
  const system =
    [
      ["Android", "Android"],
      ["iPhone", "iPhone"],
      ["iPad", "iPad"],
      ["Windows", "Windows"],
      ["Mac OS", "macOS"],
      ["Linux", "Linux"],
    ].find(([mark]) => userAgent.includes(mark)) || null;
  return system ? t("{browser} on {system}", { browser: browser[1], system: system[1] }) : browser[1];
}
