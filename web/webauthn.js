// WebAuthn glue: the browser's authenticator creates or signs with a security key or passkey.
import { call, commonError } from "./calls.js";
import { busy, stepError } from "./frame.js";
import { t } from "./i18n.js";

function webAuthnReady() {
  return (
    window.PublicKeyCredential &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function"
  );
}

const noWebAuthn = () =>
  t("This browser cannot use security keys or passkeys. Use another method or another browser.");

// What the browser said when it made or used no credential, in words a person can act on.
function webAuthnError(error) {
  switch (error && error.name) {
    case "NotAllowedError":
      return t("Your security key or passkey did not answer, or the request was cancelled. Try again.");
    case "InvalidStateError":
      return t("This security key is already registered to your account. Use another key.");
    case "SecurityError":
      return t("Security keys cannot be used on this address. Open the app at its usual address.");
    default:
      return t("Your browser could not use the security key. Try again.");
  }
}

// Asks the browser's authenticator to act on the server's options (creation or request JSON):
// the resulting credential's JSON, or null with the error shown.
async function useAuthenticator(options, parse, act) {
  if (!webAuthnReady()) {
    stepError(noWebAuthn());
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
export function createCredential(creationOptions) {
  return useAuthenticator(
    creationOptions,
    (json) => PublicKeyCredential.parseCreationOptionsFromJSON(json),
    (request) => navigator.credentials.create(request),
  );
}

// Signs the server's request options.
export function getCredential(requestOptions) {
  return useAuthenticator(
    requestOptions,
    (json) => PublicKeyCredential.parseRequestOptionsFromJSON(json),
    (request) => navigator.credentials.get(request),
  );
}

// startSecurityKeyChallenge, then the key signs it: the credential's JSON, or null.
export async function signChallenge(submit) {
  const data = await call(submit, "StartSecurityKeyChallenge");
  if (!data) return null;
  const result = data.startSecurityKeyChallenge;
  if (result.__typename !== "SecurityKeyChallengeStarted") {
    commonError(result);
    return null;
  }
  return busy(submit, () => getCredential(result.requestOptions));
}
