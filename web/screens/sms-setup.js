// Enrollment or phone change: the country code and phone number a code is texted to.
import { call, commonError } from "../calls.js";
import { field, h, nextId } from "../dom.js";
import { clearErrors, form, notice, screen, stepError } from "../frame.js";
import { refresh } from "../router.js";
import { state } from "../state.js";
import { backToAccount } from "./account.js";
import { change } from "./reauth.js";
import { cancelLink } from "./sign-in.js";
import { t } from "../i18n.js";

const US = [{ regionCode: "US", callingCode: "+1" }];

export function showSmsSetup(purpose, message = null) {
  const countries = state.countries && state.countries.length ? state.countries : US;
  const countryId = nextId("country");
  const countryError = h("p", { id: `${countryId}-error`, class: "field-error", hidden: true });
  const country = h(
    "select",
    { id: countryId, name: "countryCode", autocomplete: "tel-country-code" },
    countries.map((c) => h("option", { value: c.callingCode }, `${c.regionCode} (${c.callingCode})`)),
  );
  const phone = field({
    label: t("Enter Your Phone Number"),
    name: "phoneNumber",
    type: "tel",
    autocomplete: "tel-national",
    inputmode: "tel",
    required: true,
    hint: t("A mobile number that can receive text messages."),
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
    changing ? t("Change Your Phone Number") : t("Set Up SMS Verification"),
    notice(message),
    h("p", {}, t("We will text a 6-digit code to this number. Message and data rates may apply.")),
    form(
      async (submit) => {
        clearErrors(phone, countryField);
        if (!phone.input.value.trim()) return phone.error(t("Enter your phone number."));
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
        h("label", { for: countryId }, t("Select Your Country Code")),
        country,
        countryError,
      ),
      phone.wrap,
      h("button", { type: "submit", class: "primary" }, t("Send Text Message")),
    ),
    changing ? backToAccount() : cancelLink(),
  );
}
