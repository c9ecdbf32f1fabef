// Twofold's reference single-page app, its entry module: it draws the screen the API's state names,
// or, for a page an emailed link opened, that link's screen.
import { refresh } from "./router.js";
import { showAcceptInvitation, showSetPassword, takeLinkToken } from "./screens/password.js";

if (location.pathname.endsWith("/reset-password")) showSetPassword(takeLinkToken());
else if (location.pathname.endsWith("/accept-invitation")) showAcceptInvitation(takeLinkToken());
else refresh();
