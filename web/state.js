// What the app keeps in memory between screens, and the page elements it draws in.

export const app = document.getElementById("app");
export const who = document.getElementById("who");
export const state = {
  recoveryCode: null, // shown once; kept only in memory
  countries: null,
  challengeMethod: null,
  retry: null, // the change to retry after reauthentication
  passkeySignIn: null, // whether the server offers it, once asked
  preferredMethod: null, // asked for first at reauthentication
  timers: [],
  signedIn: false, // as the last WhereAmI said: the language switcher saves the choice then
  leaving: [], // what a screen stops when the next one is drawn (a pending WebOTP request)
};
