// Twofold's reference single-page app, its entry module: it draws the screen the API's state names.
import { refresh } from "./router.js";
import { showSsoError, ssoErrorFromAddress } from "./screens/sso.js";

// Back from a refused single sign-on, the address names the code; else the server's state decides.
const ssoError = ssoErrorFromAddress();
if (ssoError) showSsoError(ssoError);
else refresh();
