// Twofold's reference single-page app, its entry module: it draws the screen the API's state names,
// or, for a page an emailed link opened, that link's screen.
import { startLanguage } from "./i18n.js";
import { showLanguageSwitcher } from "./language.js";
import { refresh } from "./router.js";
import { showAcceptInvitation, showSetPassword, takeLinkToken } from "./screens/password.js";
import { showSsoError, ssoErrorFromAddress } from "./screens/sso.js";
import { state } from "./state.js";

// The language first: every screen is drawn in it.
await startLanguage();
showLanguageSwitcher(() => refresh(), () => state.signedIn);

// Back from a refused single sign-on, the address names the code; else the server's state decides.
const ssoError = ssoErrorFromAddress();
if (ssoError) showSsoError(ssoError);
else if (location.pathname.endsWith("/reset-password")) showSetPassword(takeLinkToken());
else if (location.pathname.endsWith("/accept-invitation")) showAcceptInvitation(takeLinkToken());
else refresh();
