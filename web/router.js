// Which screen to show: the server's state (WhereAmI's mfaEnrollment.step) names it, so a reload shows it again.
import { call } from "./calls.js";
import { languages, locale, useLanguage } from "./i18n.js";
import { showLanguageSwitcher } from "./language.js";
import { showAccount } from "./screens/account.js";
import { showAppSetup } from "./screens/app-setup.js";
import { approvalIdFromPath, showApprovePayment } from "./screens/approve-payment.js";
import { showChallenge } from "./screens/challenge.js";
import { restartKeyRegistration } from "./screens/key-registration.js";
import { showMethodSelection, showSetupRequired } from "./screens/method-selection.js";
import { showRecoveryCodeAgain } from "./screens/recovery-code.js";
import { showSignIn } from "./screens/sign-in.js";
import { showCodeEntry } from "./screens/sms-code.js";
import { showSmsSetup } from "./screens/sms-setup.js";
import { state, who } from "./state.js";

// Screens import refresh and refresh imports the screens: the cycle is safe because modules only
// call each other's functions, and only after every module has loaded (app.js calls refresh last).
export async function refresh(message = null) {
  const data = await call(null, "WhereAmI");
  if (!data) return;
  const enrollment = data.mfaEnrollment;
  const viewer = data.viewer;
  state.signedIn = Boolean(viewer && enrollment && enrollment.signedIn);
  // Signed in, the user's own language setting wins (viewer.locale, where the server has it).
  if (viewer && viewer.locale && viewer.locale !== locale() && languages().includes(viewer.locale)) {
    await useLanguage(viewer.locale);
    showLanguageSwitcher(() => refresh(), () => state.signedIn);
  }
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
      // Opened from a payments service's link: the approval, after signing in if need be.
      if (approvalIdFromPath()) return showApprovePayment(approvalIdFromPath(), message);
      return showAccount(viewer, enrollment, message);
  }
}
