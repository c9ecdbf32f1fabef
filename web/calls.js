// Runs GraphQL operations for a screen, and shows the typed errors every step shares.
import { run, SessionEnded } from "./api.js";
import { attemptsText, retryText } from "./format.js";
import { stepError } from "./frame.js";
import { refresh } from "./router.js";
import { showSignIn } from "./screens/sign-in.js";
import { t } from "./i18n.js";

// Runs an operation with the submit button busy; session loss goes back to sign in.
export async function call(button, operation, variables) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  try {
    return await run(operation, variables);
  } catch (error) {
    if (error instanceof SessionEnded) {
      showSignIn(t("Your session ended. Please sign in again."));
    } else {
      stepError(error.message || t("Something went wrong. Try again."));
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
export function commonError(result, codeField) {
  switch (result.__typename) {
    case "RateLimitedError":
    case "ResendNotAvailableError":
      stepError(retryText(result.message, result.retryAfterSeconds));
      return true;
    case "InvalidCodeError": {
      const text = attemptsText(result.message, result.attemptsRemaining);
      if (codeField) codeField.error(text);
      else stepError(text);
      return true;
    }
    case "CodeExpiredError":
      if (codeField) codeField.error(t("{message} Request a new code.", { message: result.message }));
      else stepError(result.message);
      return true;
    case "TooManyAttemptsError":
      if (result.signInEnded) showSignIn(t("{message} Please sign in again.", { message: result.message }));
      else stepError(t("{message} Request a new code.", { message: result.message }));
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
