import type { TFunction } from "i18next";

/**
 * The API's field messages are English sentences (API.md's error shape has no per-field codes).
 * The ones the portals' forms can meet are recognised here, by their exact wording, and worded in the
 * reader's language; any other message is shown as the server wrote it. The order matters where one
 * wording contains another ("At most 10.00 remains on this declaration." before "At most 10.00.").
 * tests/integration/test_field_messages_contract.py provokes every wording here through the API and
 * fails when the server's sentence no longer matches, or when an entry has no probe.
 */
const KNOWN: [RegExp, string][] = [
  // Django REST framework's own
  [/^This field is required\.$/, "required"],
  [/^This field may not be blank\.$/, "blank"],
  [/^This field may not be null\.$/, "null"],
  [/^This list may not be empty\.$/, "emptyList"],
  [/^A valid number is required\.$/, "number"],
  [/^A valid integer is required\.$/, "integer"],
  [/^Must be a valid UUID\.$/, "uuid"],
  [/^Date has wrong format\./, "date"],
  [/^Datetime has wrong format\./, "datetime"],
  [/^Ensure this field has no more than (?<max>\d+) characters\.$/, "maxLength"],
  [/^Ensure this field has at least (?<min>\d+) characters\.$/, "minLength"],
  [/^Ensure this value is greater than or equal to (?<min>.+)\.$/, "minValue"],
  [/^Ensure this value is less than or equal to (?<max>.+)\.$/, "maxValue"],
  [/^"(?<input>.*)" is not a valid choice\.$/, "choice"],
  // the platform's
  [/^Send money as a decimal string/, "amountNotString"],
  [/^Not a valid decimal amount\.$/, "amountInvalid"],
  [/^The amount must be greater than zero\.$/, "amountPositive"],
  [/^The amount is too large\.$/, "amountTooLarge"],
  [/^(?<currency>[A-Z]{3}) allows at most (?<digits>\d+) decimal places\.$/, "amountScale"],
  [/^A declaration may appear only once\.$/, "declarationTwice"],
  [/^The declaration amounts must add up to the receivable amount\.$/, "declarationsSum"],
  [/^Unknown declaration\.$/, "unknownDeclaration"],
  [/^Declared in (?<currency>[A-Z]{3})\.$/, "declaredIn"],
  [/^At most (?<remaining>\S+) remains on this declaration\.$/, "remainsOnDeclaration"],
  [/^At most (?<limit>.+)\.$/, "atMost"],
  [/^The due date must be after the issue date\.$/, "dueAfterIssue"],
  [/^The export date may not be in the future\.$/, "exportDateFuture"],
  [/^May not be in the future\.$/, "future"],
  [/^Must be (?<currency>[A-Z]{3})\.$/, "mustBeCurrency"],
  [/^Unknown receivable\.$/, "unknownReceivable"],
  [/^Unknown bank\.$/, "unknownBank"],
  [/^This username is taken\.$/, "usernameTaken"],
  [/^The end of the period is before its start\.$/, "periodOrder"],
];

export function localizeFieldMessage(t: TFunction, message: string): string {
  for (const [pattern, key] of KNOWN) {
    const match = pattern.exec(message);
    if (match) return t(`fieldMessages.${key}`, { ...match.groups, defaultValue: message });
  }
  return message;
}
