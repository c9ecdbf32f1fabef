// Twofold's reference single-page app. Every screen comes from the API's state
// (WhereAmI's mfaEnrollment.step), so a reload shows the same screen again.
import { run, SessionEnded } from "./api.js";
import { clock, field, h, nextId, seconds } from "./dom.js";

const METHOD_NAMES = {
  AUTHENTICATOR_APP: "Authenticator App",
  SECURITY_KEY: "Security Key or Passkey",
  SMS: "SMS Verification",
};
const METHOD_ORDER = ["AUTHENTICATOR_APP", "SECURITY_KEY", "SMS"];
// "Use ... instead" at the sign-in challenge and at reauthentication.
const SWITCH_TEXT = {
  AUTHENTICATOR_APP: "Use the authenticator app instead",
  SECURITY_KEY: "Use a security key instead",
  SMS: "Use a text message instead",
};
const US = [{ regionCode: "US", callingCode: "+1" }];

const app = document.getElementById("app");
const who = document.getElementById("who");
const state = {
  recoveryCode: null, // shown once; kept only in memory
  countries: null,
  challengeMethod: null,
  retry: null, // the change to retry after reauthentication
  passkeySignIn: null, // whether the server offers it, once asked
  preferredMethod: null, // asked for first at reauthentication
  timers: [],
};

// ---- screen frame ----------------------------------------------------------------------

let alertBox = null;

function screen(title, ...content) {
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
  const heading = h("h1", { tabindex: "-1" }, title);
  alertBox = h("div", { class: "alert", role: "alert", tabindex: "-1", hidden: true });
  const card = h("section", { class: "card", "aria-labelledby": nextId("t") }, heading, alertBox);
  heading.id = card.getAttribute("aria-labelledby");
  card.append(...content.flat().filter(Boolean));
  app.replaceChildren(card);
  document.title = `${title} · Twofold`;
  heading.focus();
  return card;
}

function notice(text) {
  return text ? h("p", { class: "notice", role: "status" }, text) : null;
}

function stepError(text) {
  // An earlier success notice would contradict the error: only the error stays.
  for (const old of app.querySelectorAll(".notice")) old.hidden = true;
  alertBox.textContent = text;
  alertBox.hidden = false;
  alertBox.focus();
}

function clearErrors(...fields) {
  alertBox.hidden = true;
  alertBox.textContent = "";
  for (const f of fields) f.error(null);
}

function retryText(message, retryAfterSeconds) {
  const at = new Date(Date.now() + retryAfterSeconds * 1000).toISOString();
  return `${message} You can try again at ${clock(at)} (in ${seconds(retryAfterSeconds)}).`;
}

// Runs an operation with the submit button busy; session loss goes back to sign in.
async function call(button, operation, variables) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  try {
    return await run(operation, variables);
  } catch (error) {
    if (error instanceof SessionEnded) {
      showSignIn("Your session ended. Please sign in again.");
    } else {
      stepError(error.message || "Something went wrong. Try again.");
    }
    return null;
  } finally {
    if (button && button.isConnected) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

// The typed errors every step shares; `codeField` takes code errors at the field.
function commonError(result, codeField) {
  switch (result.__typename) {
    case "RateLimitedError":
    case "ResendNotAvailableError":
      stepError(retryText(result.message, result.retryAfterSeconds));
      return true;
    case "InvalidCodeError": {
      const left = result.attemptsRemaining === 1 ? "1 attempt left" : `${result.attemptsRemaining} attempts left`;
      const text = `${result.message} ${left}.`;
      if (codeField) codeField.error(text);
      else stepError(text);
      return true;
    }
    case "CodeExpiredError":
      if (codeField) codeField.error(`${result.message} Request a new code.`);
      else stepError(result.message);
      return true;
    case "TooManyAttemptsError":
      if (result.signInEnded) showSignIn(`${result.message} Please sign in again.`);
      else stepError(`${result.message} Request a new code.`);
      return true;
    case "WrongStepError":
      refresh(result.message);
      return true;
    case "ReauthenticationRequiredError":
      return false; // the caller knows what to retry
    default:
      if (result.message) {
        stepError(result.message);
        return true;
      }
      return false;
  }
}

// ---- security keys (WebAuthn) ----------------------------------------------------------

function webAuthnReady() {
  return (
    window.PublicKeyCredential &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function"
  );
}

const NO_WEBAUTHN = "This browser cannot use security keys or passkeys. Use another method or another browser.";

// What the browser said when it made or used no credential, in words a person can act on.
function webAuthnError(error) {
  switch (error && error.name) {
    case "NotAllowedError":
      return "Your security key or passkey did not answer, or the request was cancelled. Try again.";
    case "InvalidStateError":
      return "This security key is already registered to your account. Use another key.";
    case "SecurityError":
      return "Security keys cannot be used on this address. Open the app at its usual address.";
    default:
      return "Your browser could not use the security key. Try again.";
  }
}

// Asks the browser's authenticator to act on the server's options (creation or request JSON):
// the resulting credential's JSON, or null with the error shown.
async function useAuthenticator(options, parse, act) {
  if (!webAuthnReady()) {
    stepError(NO_WEBAUTHN);
    return null;
  }
  try {
    const publicKey = parse(JSON.parse(options));
    const credential = await act({ publicKey });
    return JSON.stringify(credential.toJSON());
  } catch (error) {
    stepError(webAuthnError(error));
    return null;
  }
}

// Creates a credential from the server's creation options.
function createCredential(creationOptions) {
  return useAuthenticator(
    creationOptions,
    (json) => PublicKeyCredential.parseCreationOptionsFromJSON(json),
    (request) => navigator.credentials.create(request),
  );
}

// Signs the server's request options.
function getCredential(requestOptions) {
  return useAuthenticator(
    requestOptions,
    (json) => PublicKeyCredential.parseRequestOptionsFromJSON(json),
    (request) => navigator.credentials.get(request),
  );
}

// startSecurityKeyChallenge, then the key signs it: the credential's JSON, or null.
async function signChallenge(submit) {
  const data = await call(submit, "StartSecurityKeyChallenge");
  if (!data) return null;
  const result = data.startSecurityKeyChallenge;
  if (result.__typename !== "SecurityKeyChallengeStarted") {
    commonError(result);
    return null;
  }
  return busy(submit, () => getCredential(result.requestOptions));
}

// Keeps the button busy while the browser talks to the key.
async function busy(submit, work) {
  if (!submit) return work();
  submit.disabled = true;
  submit.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    submit.disabled = false;
    submit.removeAttribute("aria-busy");
  }
}

function form(onSubmit, ...children) {
  const node = h("form", { novalidate: true }, ...children);
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    onSubmit(event.submitter || node.querySelector("button[type=submit]"));
  });
  return node;
}

function button(text, attrs = {}) {
  return h("button", { type: "button", ...attrs }, text);
}

function codeField(label = "6-digit verification code") {
  return field({
    label,
    name: "code",
    autocomplete: "one-time-code",
    inputmode: "numeric",
    pattern: "[0-9]*",
    maxlength: "6",
    required: true,
    class: "code-input",
  });
}

function privacyNotice() {
  return h(
    "aside",
    { class: "important", "aria-label": "Important" },
    h("strong", {}, "Keep your verification code private. "),
    "Twofold generates a unique code just for you. Never share it with anyone. " +
      "Our employees will never ask for it.",
  );
}

// startMfaSetup ('Set Up Now', or back to the choice): the method selection, or its error.
async function startSetup(submit) {
  const data = await call(submit, "StartMfaSetup");
  if (!data) return;
  const result = data.startMfaSetup;
  if (result.__typename === "MfaMethodSelection") {
    return showMethodSelection(result.allowedMethods, result.recommendedMethod);
  }
  commonError(result);
}

// ---- where am I -------------------------------------------------------------------------

async function refresh(message = null) {
  const data = await call(null, "WhereAmI");
  if (!data) return;
  const enrollment = data.mfaEnrollment;
  const viewer = data.viewer;
  who.textContent = viewer ? viewer.email : "";
  if (!enrollment) return showSignIn(message);
  // The country list survives a reload: the state query carries it.
  if (enrollment.smsCountries.length) state.countries = enrollment.smsCountries;
  if (!enrollment.signedIn) {
    switch (enrollment.step) {
      case "SETUP_REQUIRED":
        return showSetupRequired(message);
      case "METHOD_SELECTION":
        return showMethodSelection(enrollment.allowedMethods, enrollment.recommendedMethod, message);
      case "PHONE_NUMBER_ENTRY":
        return showSmsSetup("enroll", message);
      case "CODE_VERIFICATION":
        return showCodeEntry("enroll", enrollment, message);
      case "AUTHENTICATOR_APP_SCAN":
        return showAppSetup("enroll", enrollment.authenticatorAppSetup, message);
      case "SECURITY_KEY_REGISTRATION":
        return restartKeyRegistration("enroll");
      case "RECOVERY_CODE_SAVE":
        return showRecoveryCodeAgain("enroll");
      case "CHALLENGE":
        return showChallenge(enrollment, message);
      default:
        return showSignIn(message);
    }
  }
  switch (enrollment.step) {
    case "CODE_VERIFICATION":
      return showCodeEntry("change", enrollment, message);
    case "AUTHENTICATOR_APP_SCAN":
      return showAppSetup("add", enrollment.authenticatorAppSetup, message);
    case "SECURITY_KEY_REGISTRATION":
      return restartKeyRegistration("add");
    case "RECOVERY_CODE_SAVE":
      return showRecoveryCodeAgain("regenerate");
    case "CHALLENGE":
      return showCodeEntry("reauth", enrollment, message);
    default:
      return showAccount(viewer, enrollment, message);
  }
}

// ---- sign in ----------------------------------------------------------------------------

function showSignIn(message = null) {
  who.textContent = "";
  state.recoveryCode = null;
  state.challengeMethod = null;
  state.preferredMethod = null;
  state.retry = null;
  const email = field({ label: "Email", name: "email", type: "email", autocomplete: "username", required: true });
  const password = field({
    label: "Password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const passkeyPlace = h("div", { class: "passkey" });
  const card = screen(
    "Sign In",
    notice(message),
    form(
      async (submit) => {
        clearErrors(email, password);
        if (!email.input.value.trim()) return email.error("Enter your email.");
        if (!password.input.value) return password.error("Enter your password.");
        const data = await call(submit, "LogIn", { email: email.input.value.trim(), password: password.input.value });
        if (!data) return;
        const result = data.logIn;
        if (["MfaSetupRequired", "MfaChallengeRequired", "LoggedIn"].includes(result.__typename)) return refresh();
        commonError(result);
      },
      email.wrap,
      password.wrap,
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    passkeyPlace,
  );
  offerPasskey(card, passkeyPlace);
}

// "Sign in with a passkey", when the server offers it (asked once per page load).
async function offerPasskey(card, place) {
  if (state.passkeySignIn === null) {
    const data = await call(null, "SignInOptions");
    if (!data) return;
    state.passkeySignIn = data.passkeySignInEnabled;
  }
  if (!state.passkeySignIn || !card.isConnected) return;
  place.append(
    h("p", { class: "divider" }, "or"),
    button("Sign in with a passkey", {
      class: "wide",
      onclick: async (e) => {
        clearErrors();
        const submit = e.currentTarget;
        const data = await call(submit, "StartPasskeySignIn");
        if (!data) return;
        const started = data.startPasskeySignIn;
        if (started.__typename !== "PasskeySignInStarted") return commonError(started);
        const credential = await busy(submit, () => getCredential(started.requestOptions));
        if (!credential) return;
        const signed = await call(submit, "LogInWithPasskey", { credential });
        if (!signed) return;
        const result = signed.logInWithPasskey;
        if (result.__typename === "LoggedIn") return refresh();
        commonError(result);
      },
    }),
    h("p", { class: "hint" }, "A passkey on this device or your phone proves both your password and your second factor."),
  );
}

// logOutEverywhere ends the user's other sessions; logOut then ends this one.
async function signOut(submit, everywhere = false) {
  let others = null;
  if (everywhere) {
    const data = await call(submit, "LogOutEverywhere");
    if (!data) return;
    others = data.logOutEverywhere.revokedSessions;
  }
  if (!(await call(submit, "LogOut"))) return;
  if (others === null) return showSignIn("You signed out.");
  const ended = `${others} other ${others === 1 ? "session" : "sessions"} ended`;
  showSignIn(`You signed out everywhere (${ended}).`);
}

function cancelLink(text = "Cancel and sign out") {
  return h("p", { class: "aside" }, button(text, { class: "link", onclick: (e) => signOut(e.currentTarget) }));
}

// ---- enrollment -------------------------------------------------------------------------

function showSetupRequired(message) {
  screen(
    "Two-Factor Authentication Required",
    notice(message),
    h(
      "p",
      {},
      "To keep payments secure, you must set up two-factor authentication before you sign in. " +
        "Besides your password, you will use a code from your phone or a security key.",
    ),
    h(
      "div",
      { class: "actions" },
      button("Set Up Now", {
        class: "primary",
        onclick: (e) => startSetup(e.currentTarget),
      }),
    ),
    cancelLink(),
  );
}

const METHOD_TEXT = {
  AUTHENTICATOR_APP: "Use an app such as Google Authenticator or Microsoft Authenticator to get a code.",
  SECURITY_KEY:
    "Touch a USB or NFC security key, or use a passkey with your device's fingerprint, face or screen lock. " +
    "It works only on this site, so it cannot be phished.",
  SMS: "Get a code by text message on your mobile phone.",
};

function showMethodSelection(allowed, recommended, message = null, error = null) {
  const order = METHOD_ORDER.filter((m) => allowed.includes(m));
  const chosen = recommended && order.includes(recommended) ? recommended : order[0];
  const options = order.map((method) => {
    const id = nextId("method");
    return h(
      "div",
      { class: "choice" },
      h("input", { type: "radio", name: "method", id, value: method, checked: method === chosen }),
      h(
        "label",
        { for: id },
        h("span", { class: "choice-name" }, METHOD_NAMES[method]),
        method === recommended ? h("span", { class: "badge" }, "Recommended") : null,
        h("span", { class: "choice-text" }, METHOD_TEXT[method]),
      ),
    );
  });
  screen(
    "Select an Authentication Method",
    notice(message),
    form(
      async (submit) => {
        clearErrors();
        const method = app.querySelector("input[name=method]:checked").value;
        const data = await call(submit, "ChooseMfaMethod", { method });
        if (!data) return;
        const result = data.chooseMfaMethod;
        if (result.__typename === "AuthenticatorAppMethodChosen") return showAppSetup("enroll", result);
        if (result.__typename === "SecurityKeyMethodChosen") {
          return showKeyRegistration("enroll", result.creationOptions);
        }
        if (result.__typename === "SmsMethodChosen") {
          state.countries = result.allowedCountries;
          return showSmsSetup("enroll");
        }
        if (result.__typename === "MethodNotAllowedError") {
          return showMethodSelection(result.allowedMethods, recommended, null, result.message);
        }
        commonError(result);
      },
      h("fieldset", {}, h("legend", {}, "How do you want to prove it's you?"), options),
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    cancelLink(),
  );
  if (error) stepError(error);
}

function showSmsSetup(purpose, message = null) {
  const countries = state.countries && state.countries.length ? state.countries : US;
  const countryId = nextId("country");
  const countryError = h("p", { id: `${countryId}-error`, class: "field-error", hidden: true });
  const country = h(
    "select",
    { id: countryId, name: "countryCode", autocomplete: "tel-country-code" },
    countries.map((c) => h("option", { value: c.callingCode }, `${c.regionCode} (${c.callingCode})`)),
  );
  const phone = field({
    label: "Enter Your Phone Number",
    name: "phoneNumber",
    type: "tel",
    autocomplete: "tel-national",
    inputmode: "tel",
    required: true,
    hint: "A mobile number that can receive text messages.",
  });
  const countryField = {
    error(text) {
      countryError.textContent = text || "";
      countryError.hidden = !text;
      if (text) {
        country.setAttribute("aria-invalid", "true");
        country.setAttribute("aria-describedby", countryError.id);
        country.focus();
      } else {
        country.removeAttribute("aria-invalid");
        country.removeAttribute("aria-describedby");
      }
    },
  };
  const changing = purpose === "change";
  screen(
    changing ? "Change Your Phone Number" : "Set Up SMS Verification",
    notice(message),
    h("p", {}, "We will text a 6-digit code to this number. Message and data rates may apply."),
    form(
      async (submit) => {
        clearErrors(phone, countryField);
        if (!phone.input.value.trim()) return phone.error("Enter your phone number.");
        const variables = { countryCode: country.value, phoneNumber: phone.input.value.trim() };
        const done = (result) => {
          switch (result.__typename) {
            case "SmsCodeSent":
              refresh();
              return true;
            case "InvalidPhoneNumberError":
            case "UnsupportedCountryError":
              if (!phone.input.isConnected) {
                // Refused after a reauthentication: the form is shown again with the reason.
                showSmsSetup(purpose);
                stepError(result.message);
              } else if (result.__typename === "InvalidPhoneNumberError") phone.error(result.message);
              else countryField.error(result.message);
              return true;
            default:
              return false;
          }
        };
        if (changing) return change(submit, "StartPhoneNumberChange", variables, done);
        const data = await call(submit, "SendSmsCode", variables);
        if (data && !done(data.sendSmsCode)) commonError(data.sendSmsCode);
      },
      h(
        "div",
        { class: "field" },
        h("label", { for: countryId }, "Select Your Country Code"),
        country,
        countryError,
      ),
      phone.wrap,
      h("button", { type: "submit", class: "primary" }, "Send Text Message"),
    ),
    changing ? backToAccount() : cancelLink(),
  );
}

// The 6-digit code of a text message: enrollment, sign-in, phone change, or reauthentication.
function showCodeEntry(purpose, enrollment, message = null) {
  const code = codeField();
  const resend = button("Resend New Code", { class: "link" });
  const countdown = h("p", { class: "hint countdown" });
  const expiry = h("p", { class: "hint" });
  let sent = enrollment;

  function describe() {
    const parts = [];
    if (sent.codeExpiresAt) parts.push(`Your code expires at ${clock(sent.codeExpiresAt)}.`);
    if (sent.attemptsRemaining !== null && sent.attemptsRemaining !== undefined) {
      parts.push(`${sent.attemptsRemaining} ${sent.attemptsRemaining === 1 ? "attempt" : "attempts"} left.`);
    }
    expiry.textContent = parts.join(" ");
  }

  function tick() {
    const wait = sent.resendAvailableAt ? (new Date(sent.resendAvailableAt) - Date.now()) / 1000 : 0;
    if (wait > 0) {
      resend.disabled = true;
      countdown.textContent = `You can ask for a new code in ${seconds(wait)}.`;
    } else {
      resend.disabled = false;
      countdown.textContent = "";
    }
  }

  const resendOperation = { enroll: "ResendSmsCode", login: "SendLoginCode", reauth: "SendReauthenticationCode" }[
    purpose
  ];
  resend.addEventListener("click", async () => {
    clearErrors(code);
    const data = await call(resend, resendOperation);
    if (!data) return;
    const result = Object.values(data)[0];
    if (result.__typename === "SmsCodeSent") {
      sent = {
        ...sent,
        codeExpiresAt: result.expiresAt,
        resendAvailableAt: result.resendAvailableAt,
        maskedPhoneNumber: result.maskedPhoneNumber,
        attemptsRemaining: null,
      };
      describe();
      tick();
      status.textContent = `We sent a new code to ${result.maskedPhoneNumber}. The old code no longer works.`;
      code.input.focus();
      return;
    }
    commonError(result, code);
  });

  // A wrong code: the field says how many attempts are left, and so does the summary.
  function judged(result) {
    if (result.__typename === "InvalidCodeError") {
      sent = { ...sent, attemptsRemaining: result.attemptsRemaining };
      describe();
    }
    return commonError(result, code);
  }

  async function submit(submitButton) {
    clearErrors(code);
    const value = code.input.value.replace(/\s/g, "");
    if (!/^\d{6}$/.test(value)) return code.error("Enter the 6 digits of your code.");
    if (purpose === "enroll") {
      const data = await call(submitButton, "VerifySmsCode", { code: value });
      if (!data) return;
      const result = data.verifySmsCode;
      if (result.__typename === "RecoveryCodeIssued") return showRecoveryCode(result.recoveryCode, "enroll");
      return judged(result);
    }
    if (purpose === "login") {
      const variables = { code: value, method: "SMS", trustBrowser: trust.checked() };
      const data = await call(submitButton, "VerifyLoginCode", variables);
      if (!data) return;
      const result = data.verifyLoginCode;
      if (result.__typename === "LoggedIn") return refresh();
      return judged(result);
    }
    if (purpose === "reauth") return reauthenticate(submitButton, value, "SMS", code);
    const data = await call(submitButton, "ConfirmPhoneNumberChange", { code: value });
    if (!data) return;
    const result = data.confirmPhoneNumberChange;
    if (result.__typename === "PhoneNumberChanged") return refresh("Your phone number was changed.");
    if (result.__typename === "ReauthenticationRequiredError") {
      return showReauth(result.methods, () => refresh());
    }
    return judged(result);
  }

  const status = h("p", { class: "notice", role: "status" });
  const trust = purpose === "login" ? trustChoice(enrollment) : trustChoice(null);
  const titles = {
    enroll: "Enter the 6-Digit Verification Code",
    login: "Enter the 6-Digit Verification Code",
    change: "Confirm Your New Phone Number",
    reauth: "Confirm It's You",
  };
  screen(
    titles[purpose],
    notice(message),
    status,
    h("p", {}, `We sent a text message with a 6-digit code to ${sent.maskedPhoneNumber || "your phone"}.`),
    privacyNotice(),
    form(
      submit,
      code.wrap,
      expiry,
      trust.node,
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    resendOperation
      ? h("div", { class: "aside" }, h("p", { class: "resend" }, "Didn't get the text? ", resend), countdown)
      : h(
          "p",
          { class: "aside" },
          button("Use a different number", { class: "link", onclick: () => showSmsSetup("change") }),
        ),
    purpose === "login" ? challengeLinks(enrollment) : null,
    purpose === "enroll" ? cancelLink() : null,
    purpose === "change" || purpose === "reauth" ? backToAccount() : null,
  );
  describe();
  tick();
  state.timers.push(setInterval(tick, 1000));
}

function showAppSetup(purpose, setup, message = null) {
  if (!setup) return refresh();
  const code = codeField("6-digit code from your app");
  screen(
    "Set Up Authenticator App",
    notice(message),
    h(
      "ol",
      { class: "steps" },
      h("li", {}, "Open your authenticator app (for example Google Authenticator or Microsoft Authenticator)."),
      h(
        "li",
        {},
        "Scan this QR code with the app.",
        h("img", {
          class: "qr",
          src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrCodeSvg)}`,
          alt: "QR code to add Twofold to your authenticator app",
          width: "180",
          height: "180",
        }),
        h(
          "span",
          { class: "manual" },
          "Can't scan it? Enter this key in the app instead: ",
          h("code", { id: "manual-key", class: "key" }, setup.secret),
        ),
      ),
      h("li", {}, "Enter the 6-digit code the app shows."),
    ),
    privacyNotice(),
    form(
      async (submit) => {
        clearErrors(code);
        const value = code.input.value.replace(/\s/g, "");
        if (!/^\d{6}$/.test(value)) return code.error("Enter the 6 digits the app shows.");
        const data = await call(submit, "VerifyAuthenticatorCode", { code: value });
        if (!data) return;
        const result = data.verifyAuthenticatorCode;
        if (result.__typename === "RecoveryCodeIssued") return showRecoveryCode(result.recoveryCode, "enroll");
        if (result.__typename === "AuthenticatorAppAdded") return refresh("Your authenticator app was added.");
        if (result.__typename === "ReauthenticationRequiredError") {
          return showReauth(result.methods, () => refresh());
        }
        commonError(result, code);
      },
      code.wrap,
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    purpose === "add" ? backToAccount() : cancelLink(),
  );
}

// ---- security key registration ----------------------------------------------------------

// Creation options are shown once; after a reload (or when they expired) new ones are asked for.
async function restartKeyRegistration(purpose, message = null) {
  if (purpose === "add") {
    return change(null, "AddSecurityKey", {}, (r) => {
      if (r.__typename !== "SecurityKeyMethodChosen") return false;
      showKeyRegistration("add", r.creationOptions, message);
      return true;
    });
  }
  const setup = await call(null, "StartMfaSetup");
  if (!setup) return;
  if (setup.startMfaSetup.__typename !== "MfaMethodSelection") return commonError(setup.startMfaSetup);
  const data = await call(null, "ChooseMfaMethod", { method: "SECURITY_KEY" });
  if (!data) return;
  const result = data.chooseMfaMethod;
  if (result.__typename === "SecurityKeyMethodChosen") {
    return showKeyRegistration("enroll", result.creationOptions, message);
  }
  const selection = setup.startMfaSetup;
  showMethodSelection(selection.allowedMethods, selection.recommendedMethod, null, result.message);
}

function showKeyRegistration(purpose, creationOptions, message = null) {
  const name = field({
    label: "Key name",
    name: "keyName",
    autocomplete: "off",
    maxlength: "64",
    hint: "A name to tell your keys apart, such as \u201cBlue USB key\u201d or \u201cWork laptop\u201d.",
  });
  screen(
    "Register Your Security Key",
    notice(message),
    h(
      "ol",
      { class: "steps" },
      h("li", {}, "Give the key a name."),
      h(
        "li",
        {},
        "Select Register Security Key. Your browser asks you to insert and touch your security key, " +
          "or to confirm with your fingerprint, face or screen lock to create a passkey.",
      ),
    ),
    form(
      async (submit) => {
        clearErrors(name);
        const keyName = name.input.value.trim();
        if (keyName.length > 64) return name.error("Use at most 64 characters.");
        const credential = await busy(submit, () => createCredential(creationOptions));
        if (!credential) return;
        const data = await call(submit, "RegisterSecurityKey", { credential, name: keyName || null });
        if (!data) return;
        const result = data.registerSecurityKey;
        switch (result.__typename) {
          case "RecoveryCodeIssued":
            return showRecoveryCode(result.recoveryCode, "enroll");
          case "SecurityKeyAdded":
            return refresh(`Your security key \u201c${result.securityKey.name}\u201d was added.`);
          case "ReauthenticationRequiredError":
            return showReauth(result.methods, () => restartKeyRegistration("add"));
          case "CodeExpiredError":
            return restartKeyRegistration(purpose, "The request expired. Register your key again.");
          default:
            return commonError(result);
        }
      },
      name.wrap,
      h("button", { type: "submit", class: "primary" }, "Register Security Key"),
    ),
    purpose === "add"
      ? backToAccount()
      : h(
          "div",
          { class: "aside" },
          button("Choose another method", {
            class: "link",
            onclick: (e) => startSetup(e.currentTarget),
          }),
          button("Cancel and sign out", { class: "link", onclick: (e) => signOut(e.currentTarget) }),
        ),
  );
}

// ---- recovery code ----------------------------------------------------------------------

async function showRecoveryCodeAgain(purpose) {
  // The code is shown only once; after a reload a new one takes its place.
  if (state.recoveryCode) return showRecoveryCode(state.recoveryCode, purpose);
  const data = await call(null, "RegenerateRecoveryCode");
  if (!data) return;
  const result = data.regenerateRecoveryCode;
  if (result.__typename === "RecoveryCodeIssued") {
    return showRecoveryCode(
      result.recoveryCode,
      purpose,
      "The page was reloaded, so here is a new recovery code in place of the one shown before.",
    );
  }
  if (result.__typename === "ReauthenticationRequiredError") {
    return showReauth(result.methods, () => showRecoveryCodeAgain(purpose));
  }
  screen("Save Your Recovery Code");
  commonError(result);
}

function showRecoveryCode(recoveryCode, purpose, message = null) {
  state.recoveryCode = recoveryCode;
  const checkId = nextId("saved");
  const copyStatus = h("span", { class: "copy-status", role: "status" });
  const cont = h("button", { type: "submit", class: "primary", disabled: true }, "Continue");
  const check = h("input", {
    type: "checkbox",
    id: checkId,
    onchange: (e) => {
      cont.disabled = !e.currentTarget.checked;
    },
  });
  screen(
    "Save Your Recovery Code",
    notice(message),
    h(
      "p",
      {},
      "If your phone or security key is lost or damaged, this code lets you sign in and set up two-factor " +
        "authentication on a new device. Each recovery code works only once; after you use it, " +
        "you get a new one to save.",
    ),
    h(
      "aside",
      { class: "warning", "aria-label": "Warning" },
      h("strong", {}, "Save it somewhere safe "),
      "that you can reach from another device, such as a password manager.",
    ),
    h("p", { class: "recovery", id: "recovery-code" }, recoveryCode),
    h(
      "div",
      { class: "actions" },
      button("Copy", {
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(recoveryCode);
            copyStatus.textContent = "Copied.";
          } catch {
            copyStatus.textContent = "Copying is blocked here: select the code and copy it yourself.";
          }
        },
      }),
      button("Download", {
        onclick: () => {
          const text = `Twofold recovery code\n\n${recoveryCode}\n\nEach recovery code works only once.\n`;
          const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
          const link = h("a", { href: url, download: "twofold-recovery-code.txt" });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
          copyStatus.textContent = "Downloaded twofold-recovery-code.txt.";
        },
      }),
      copyStatus,
    ),
    form(
      async (submit) => {
        clearErrors();
        if (!check.checked) return stepError("Mark the box once you have saved the code.");
        const data = await call(submit, "ConfirmRecoveryCodeSaved");
        if (!data) return;
        const result = data.confirmRecoveryCodeSaved;
        if (result.__typename === "LoggedIn" || result.__typename === "RecoveryCodeSaved") {
          state.recoveryCode = null;
          return refresh(purpose === "regenerate" ? "Your new recovery code is saved." : null);
        }
        commonError(result);
      },
      h("div", { class: "check" }, check, h("label", { for: checkId }, "I Have Securely Saved This Code")),
      cont,
    ),
  );
}

// ---- returning user ---------------------------------------------------------------------

// "Trust this browser for N days": only where the user's company allows it (trustBrowserDays).
function trustChoice(enrollment) {
  const days = enrollment && enrollment.trustBrowserDays;
  if (!days) return { node: null, checked: () => false };
  const id = nextId("trust");
  const box = h("input", { type: "checkbox", id, "aria-describedby": `${id}-hint` });
  const node = h(
    "div",
    {},
    h("div", { class: "check" }, box, h("label", { for: id }, `Trust this browser for ${days} days`)),
    h(
      "p",
      { class: "hint", id: `${id}-hint` },
      "Signing in here will not ask for a second factor until then. Changes to your account still will. " +
        "Don't tick this on a shared computer.",
    ),
  );
  return { node, checked: () => box.checked };
}

function challengeLinks(enrollment) {
  const others = enrollment.methods.filter((m) => m !== state.challengeMethod);
  return h(
    "div",
    { class: "aside" },
    others.map((m) =>
      button(SWITCH_TEXT[m], {
        class: "link",
        onclick: () => {
          state.challengeMethod = m;
          refresh();
        },
      }),
    ),
    button("Use a recovery code", { class: "link", onclick: () => showRecoveryLogin(enrollment) }),
    button("Sign in as someone else", { class: "link", onclick: (e) => signOut(e.currentTarget) }),
  );
}

function showChallenge(enrollment, message = null) {
  const methods = enrollment.methods;
  let method = state.challengeMethod;
  if (!method || !methods.includes(method)) method = enrollment.preferredMethod || methods[0];
  state.challengeMethod = method;
  const codeOutstanding = enrollment.codeExpiresAt && new Date(enrollment.codeExpiresAt) > Date.now();
  if (method === "SMS" && codeOutstanding) return showCodeEntry("login", enrollment, message);
  if (method === "SMS") {
    screen(
      "Two-Factor Authentication",
      notice(message),
      h("p", {}, `We will text a 6-digit code to ${enrollment.maskedPhoneNumber || "your phone"}.`),
      h(
        "div",
        { class: "actions" },
        button("Send Text Message", {
          class: "primary",
          onclick: async (e) => {
            clearErrors();
            const data = await call(e.currentTarget, "SendLoginCode");
            if (!data) return;
            const result = data.sendLoginCode;
            if (result.__typename === "SmsCodeSent") return refresh();
            commonError(result);
          },
        }),
      ),
      challengeLinks(enrollment),
    );
    return;
  }
  const trust = trustChoice(enrollment);
  if (method === "SECURITY_KEY") {
    screen(
      "Two-Factor Authentication",
      notice(message),
      h(
        "p",
        {},
        "Use your security key or passkey: insert and touch the key, or confirm with your fingerprint, " +
          "face or screen lock when your browser asks.",
      ),
      form(
        async (submit) => {
          clearErrors();
          const credential = await signChallenge(submit);
          if (!credential) return;
          const variables = { code: credential, method: "SECURITY_KEY", trustBrowser: trust.checked() };
          const data = await call(submit, "VerifyLoginCode", variables);
          if (!data) return;
          const result = data.verifyLoginCode;
          if (result.__typename === "LoggedIn") return refresh();
          commonError(result);
        },
        trust.node,
        h("button", { type: "submit", class: "primary" }, "Use your security key"),
      ),
      challengeLinks(enrollment),
    );
    return;
  }
  const code = codeField("6-digit code from your authenticator app");
  screen(
    "Two-Factor Authentication",
    notice(message),
    h("p", {}, "Open your authenticator app and enter the 6-digit code it shows for Twofold."),
    privacyNotice(),
    form(
      async (submit) => {
        clearErrors(code);
        const value = code.input.value.replace(/\s/g, "");
        if (!/^\d{6}$/.test(value)) return code.error("Enter the 6 digits the app shows.");
        const variables = { code: value, method: "AUTHENTICATOR_APP", trustBrowser: trust.checked() };
        const data = await call(submit, "VerifyLoginCode", variables);
        if (!data) return;
        const result = data.verifyLoginCode;
        if (result.__typename === "LoggedIn") return refresh();
        commonError(result, code);
      },
      code.wrap,
      trust.node,
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    challengeLinks(enrollment),
  );
}

function showRecoveryLogin(enrollment) {
  const recovery = field({
    label: "Recovery code",
    name: "recoveryCode",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    hint: "The code you saved when you set up two-factor authentication.",
  });
  screen(
    "Use a Recovery Code",
    h("p", {}, "A recovery code works once. After you use it, you will save a new one."),
    form(
      async (submit) => {
        clearErrors(recovery);
        if (!recovery.input.value.trim()) return recovery.error("Enter your recovery code.");
        const data = await call(submit, "LogInWithRecoveryCode", { recoveryCode: recovery.input.value.trim() });
        if (!data) return;
        const result = data.logInWithRecoveryCode;
        if (result.__typename === "RecoveryCodeIssued") {
          return showRecoveryCode(
            result.recoveryCode,
            "login",
            "Your recovery code worked and is now used up. Save this new one before you continue.",
          );
        }
        if (result.__typename === "InvalidCodeError") {
          return recovery.error(`${result.message} ${result.attemptsRemaining} attempts left.`);
        }
        commonError(result);
      },
      recovery.wrap,
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    h("p", { class: "aside" }, button("Back", { class: "link", onclick: () => showChallenge(enrollment) })),
  );
}

// ---- signed in --------------------------------------------------------------------------

function backToAccount() {
  return h("p", { class: "aside" }, button("Back to your account", { class: "link", onclick: () => refresh() }));
}

// Runs a factor change; when it needs a fresh second factor, asks for one and runs it again.
async function change(submitButton, operation, variables, done) {
  const data = await call(submitButton, operation, variables);
  if (!data) return;
  const result = Object.values(data)[0];
  if (result.__typename === "ReauthenticationRequiredError") {
    return showReauth(result.methods, () => change(null, operation, variables, done));
  }
  if (done(result)) return;
  commonError(result);
}

function dateText(iso) {
  return new Date(iso).toLocaleDateString([], { year: "numeric", month: "short", day: "numeric" });
}

function whenText(iso) {
  return `${dateText(iso)}, ${clock(iso)}`;
}

// A short name for a User-Agent ("Chrome on Linux"); the full text is shown beside it.
function browserName(userAgent) {
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

function showAccount(viewer, enrollment, message = null) {
  const mfa = viewer.mfa;
  state.preferredMethod = mfa.preferredMethod;
  const allowed = enrollment.allowedMethods;
  const several = mfa.methods.length > 1;
  const actionStatus = h("p", { class: "notice", role: "status" });

  const factors = mfa.methods.map((method) => {
    const preferred = mfa.preferredMethod === method;
    const keys = viewer.securityKeys.length;
    const detail =
      method === "SMS"
        ? `Text messages to ${mfa.maskedPhoneNumber}`
        : method === "SECURITY_KEY"
          ? `${keys} ${keys === 1 ? "key" : "keys"} registered (listed below)`
          : mfa.authenticatorAppAddedAt
          ? `Added ${dateText(mfa.authenticatorAppAddedAt)}`
          : "Codes from your app";
    return h(
      "li",
      { class: "factor" },
      h(
        "div",
        {},
        h("span", { class: "choice-name" }, METHOD_NAMES[method]),
        preferred && several ? h("span", { class: "badge" }, "Preferred") : null,
        h("span", { class: "choice-text" }, detail),
      ),
      h(
        "div",
        { class: "actions" },
        several && !preferred
          ? button("Make Preferred", {
              "aria-label": `Make ${METHOD_NAMES[method]} preferred`,
              onclick: (e) =>
                change(e.currentTarget, "SetPreferredMfaMethod", { method }, (r) => {
                  if (r.__typename !== "PreferredMfaMethodSet") return false;
                  refresh(`${METHOD_NAMES[method]} is now your preferred method.`);
                  return true;
                }),
            })
          : null,
        method === "SMS"
          ? button("Change Phone Number", { onclick: () => showSmsSetup("change") })
          : null,
        // Keys are removed one by one in their own list.
        method !== "SECURITY_KEY" &&
        button("Remove", {
          "aria-label": `Remove ${METHOD_NAMES[method]}`,
          onclick: (e) =>
            change(e.currentTarget, "RemoveMfaMethod", { method }, (r) => {
              if (r.__typename !== "MfaMethodRemoved") return false;
              refresh(`${METHOD_NAMES[method]} was removed.`);
              return true;
            }),
        }),
      ),
    );
  });

  const adds = [];
  if (!mfa.methods.includes("AUTHENTICATOR_APP") && allowed.includes("AUTHENTICATOR_APP")) {
    adds.push(
      button("Add Authenticator App", {
        onclick: (e) =>
          change(e.currentTarget, "AddAuthenticatorApp", {}, (r) => {
            if (r.__typename !== "AuthenticatorAppMethodChosen") return false;
            showAppSetup("add", r);
            return true;
          }),
      }),
    );
  }
  if (!mfa.methods.includes("SMS") && allowed.includes("SMS")) {
    adds.push(button("Add Phone Number", { onclick: () => showSmsSetup("change") }));
  }

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
  const keySection =
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
    );

  const browsers = viewer.trustedBrowsers;
  const browserSection =
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
    );

  const adminEmail = field({ label: "User's email", name: "adminEmail", type: "email", autocomplete: "off" });
  const verifiedId = nextId("verified");
  const verifiedError = h("p", { id: `${verifiedId}-error`, class: "field-error", hidden: true });
  const verified = h("input", { type: "checkbox", id: verifiedId });
  const adminStatus = h("p", { class: "notice", role: "status" });
  const adminAlert = h("p", { class: "alert", role: "alert", tabindex: "-1", hidden: true });

  screen(
    "Your Account",
    notice(message),
    actionStatus,
    h("p", {}, `Signed in as ${viewer.email}.`),
    h(
      "section",
      { "aria-labelledby": "factors-title" },
      h("h2", { id: "factors-title" }, "Two-factor authentication"),
      h(
        "p",
        { class: "hint" },
        enrollment.reauthenticatedUntil
          ? `You confirmed it's you: changes need no new confirmation until ${clock(enrollment.reauthenticatedUntil)}.`
          : "Changes ask you to confirm it's you first.",
      ),
      h("ul", { class: "factors" }, factors),
      adds.length ? h("div", { class: "actions" }, adds) : null,
    ),
    keySection,
    browserSection,
    h(
      "section",
      { "aria-labelledby": "recovery-title" },
      h("h2", { id: "recovery-title" }, "Recovery code"),
      h(
        "p",
        { class: "hint" },
        mfa.recoveryCodeCreatedAt ? `Your recovery code was created ${dateText(mfa.recoveryCodeCreatedAt)}.` : "",
        " Lost it? Get a new one; the old one stops working.",
      ),
      button("Get a New Recovery Code", {
        onclick: (e) =>
          change(e.currentTarget, "RegenerateRecoveryCode", {}, (r) => {
            if (r.__typename !== "RecoveryCodeIssued") return false;
            showRecoveryCode(r.recoveryCode, "regenerate");
            return true;
          }),
      }),
    ),
    h(
      "section",
      { "aria-labelledby": "sessions-title" },
      h("h2", { id: "sessions-title" }, "Sessions"),
      h(
        "div",
        { class: "actions" },
        button("Sign Out", { onclick: (e) => signOut(e.currentTarget) }),
        button("Sign Out Everywhere", { onclick: (e) => signOut(e.currentTarget, true) }),
      ),
    ),
    // Only company admins may reset a user's MFA; nobody else is shown the form.
    viewer.isCompanyAdmin &&
      h(
        "section",
        { "aria-labelledby": "admin-title", class: "admin" },
        h("h2", { id: "admin-title" }, "Company admins: reset a user's MFA"),
        h(
          "p",
          { class: "hint" },
          "Removes the user's second factors and recovery code; they set up two-factor " +
            "authentication again at their next sign-in.",
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
            if (!email) return adminEmail.error("Enter the user's email.");
            const variables = { email, verifiedUserRequest: verified.checked };
            await change(submit, "ResetUserMfa", variables, (r) => {
              switch (r.__typename) {
                case "UserMfaReset":
                  refresh(`MFA was reset for ${r.email}. They will set it up again at their next sign-in.`);
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
            h("label", { for: verifiedId }, "I have verified the user's request"),
          ),
          verifiedError,
          h("button", { type: "submit" }, "Reset MFA"),
        ),
      ),
  );
}

// ---- reauthentication -------------------------------------------------------------------

async function reauthenticate(submitButton, code, method, codeFieldApi) {
  const data = await call(submitButton, "Reauthenticate", { code, method });
  if (!data) return;
  const result = data.reauthenticate;
  if (result.__typename === "Reauthenticated") {
    const retry = state.retry;
    state.retry = null;
    if (retry) return retry();
    return refresh("Confirmed. You can make your change now.");
  }
  commonError(result, codeFieldApi);
}

function showReauth(methods, retry, chosen = null) {
  state.retry = retry;
  // The user's preferred factor first, as at sign-in.
  const first = methods.includes(state.preferredMethod) ? state.preferredMethod : methods[0];
  const method = chosen && methods.includes(chosen) ? chosen : first;
  const switcher = methods
    .filter((m) => m !== method)
    .map((other) => button(SWITCH_TEXT[other], { class: "link", onclick: () => showReauth(methods, retry, other) }));
  if (method === "SMS") {
    screen(
      "Confirm It's You",
      h("p", {}, "This change needs a fresh code. We will text one to your phone."),
      h(
        "div",
        { class: "actions" },
        button("Send Text Message", {
          class: "primary",
          onclick: async (e) => {
            clearErrors();
            const data = await call(e.currentTarget, "SendReauthenticationCode");
            if (!data) return;
            const result = data.sendReauthenticationCode;
            if (result.__typename === "SmsCodeSent") {
              return showCodeEntry("reauth", {
                maskedPhoneNumber: result.maskedPhoneNumber,
                codeExpiresAt: result.expiresAt,
                resendAvailableAt: result.resendAvailableAt,
                attemptsRemaining: null,
              });
            }
            commonError(result);
          },
        }),
      ),
      h("div", { class: "aside" }, switcher),
      backToAccount(),
    );
    return;
  }
  if (method === "SECURITY_KEY") {
    screen(
      "Confirm It's You",
      h("p", {}, "This change needs your security key or passkey. Touch the key or confirm when your browser asks."),
      form(
        async (submit) => {
          clearErrors();
          const credential = await signChallenge(submit);
          if (credential) await reauthenticate(submit, credential, "SECURITY_KEY", null);
        },
        h("button", { type: "submit", class: "primary" }, "Use your security key"),
      ),
      h("div", { class: "aside" }, switcher),
      backToAccount(),
    );
    return;
  }
  const code = codeField("6-digit code from your authenticator app");
  screen(
    "Confirm It's You",
    h("p", {}, "This change needs a fresh code. Enter the code your authenticator app shows."),
    form(
      async (submit) => {
        clearErrors(code);
        const value = code.input.value.replace(/\s/g, "");
        if (!/^\d{6}$/.test(value)) return code.error("Enter the 6 digits the app shows.");
        await reauthenticate(submit, value, "AUTHENTICATOR_APP", code);
      },
      code.wrap,
      h("button", { type: "submit", class: "primary" }, "Continue"),
    ),
    h("div", { class: "aside" }, switcher),
    backToAccount(),
  );
}

refresh();
