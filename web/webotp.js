// WebOTP: where the browser can read the texted code itself (the text ends with
// "@<host> #<code>"), it fills the code field and submits it; elsewhere the person types it.
import { state } from "./state.js";

export function autofillCode(codeApi, formNode) {
  if (!("OTPCredential" in window) || !navigator.credentials) return;
  const controller = new AbortController();
  // Leaving the screen ends the wait, so a late text cannot submit on another screen.
  state.leaving.push(() => controller.abort());
  navigator.credentials
    .get({ otp: { transport: ["sms"] }, signal: controller.signal })
    .then((otp) => {
      if (!otp || !otp.code || controller.signal.aborted || !formNode.isConnected) return;
      codeApi.input.value = otp.code;
      formNode.requestSubmit();
    })
    .catch(() => {
      // Aborted, refused by the person, or no text arrived: typing the code still works.
    });
}
