// Words and formats the screens share: method names, dates, browser names, retry times.
import { clock, seconds } from "./dom.js";

export const METHOD_NAMES = {
  AUTHENTICATOR_APP: "Authenticator App",
  SECURITY_KEY: "Security Key or Passkey",
  SMS: "SMS Verification",
};

// "Use ... instead" at the sign-in challenge and at reauthentication.
export const SWITCH_TEXT = {
  AUTHENTICATOR_APP: "Use the authenticator app instead",
  SECURITY_KEY: "Use a security key instead",
  SMS: "Use a text message instead",
};

export function retryText(message, retryAfterSeconds) {
  const at = new Date(Date.now() + retryAfterSeconds * 1000).toISOString();
  return `${message} You can try again at ${clock(at)} (in ${seconds(retryAfterSeconds)}).`;
}

export function dateText(iso) {
  return new Date(iso).toLocaleDateString([], { year: "numeric", month: "short", day: "numeric" });
}

export function whenText(iso) {
  return `${dateText(iso)}, ${clock(iso)}`;
}

// A short name for a User-Agent ("Chrome on Linux"); the full text is shown beside it.
export function browserName(userAgent) {
  const browser =
    [
      ["Edg/", "Edge"],
      ["Firefox/", "Firefox"],
      ["Chrome/", "Chrome"],
      ["Safari/", "Safari"],
    ].find(([mark]) => userAgent.includes(mark)) || [null, "A browser"];
  const system =
    [
      ["Android", "Android"],
      ["iPhone", "iPhone"],
      ["iPad", "iPad"],
      ["Windows", "Windows"],
      ["Mac OS", "macOS"],
      ["Linux", "Linux"],
    ].find(([mark]) => userAgent.includes(mark)) || null;
  return system ? `${browser[1]} on ${system[1]}` : browser[1];
}
