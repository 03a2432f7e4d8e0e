import { afterEach, describe, expect, it } from "vitest";

import i18next from "@/shared/i18n";
import { fieldErrors } from "@/shared/ui/forms";

import { ApiError } from "./errors";
import { localizeFieldMessage } from "./fieldMessages";

const zh = i18next.getFixedT("zh-CN");
const en = i18next.getFixedT("en");

describe("the API's field messages in the reader's language", () => {
  afterEach(async () => {
    await i18next.changeLanguage("en");
  });

  it("words known messages in Chinese, with their figures", () => {
    expect(localizeFieldMessage(zh, "This field is required.")).toBe("此项必填。");
    expect(localizeFieldMessage(zh, "At most 40000.00 remains on this declaration.")).toBe("该报关单最多还可支持 40000.00。");
    expect(localizeFieldMessage(zh, "At most 800.00.")).toBe("最多 800.00。");
    expect(localizeFieldMessage(zh, "JPY allows at most 0 decimal places.")).toBe("JPY 最多允许 0 位小数。");
    expect(localizeFieldMessage(zh, "Ensure this field has no more than 64 characters.")).toBe("最多 64 个字符。");
  });

  it("keeps what it does not know as the server wrote it", () => {
    expect(localizeFieldMessage(zh, "Something new the server says.")).toBe("Something new the server says.");
    expect(localizeFieldMessage(en, "The due date must be after the issue date.")).toBe("The due date must be after the issue date.");
  });

  it("applies to the messages forms show beside their fields", async () => {
    const error = new ApiError(400, {
      code: "invalid", message: "Invalid input.",
      details: { due_date: ["The due date must be after the issue date."], declarations: [{ amount: ["Not a valid decimal amount."] }] },
    });
    expect(fieldErrors(error)("due_date")).toEqual(["The due date must be after the issue date."]);
    await i18next.changeLanguage("zh-CN");
    expect(fieldErrors(error)("due_date")).toEqual(["到期日必须晚于开票日。"]);
    expect(fieldErrors(error)("declarations[0].amount")).toEqual(["金额格式无效。"]);
    expect(fieldErrors(error)("buyer_name")).toBeUndefined();
  });
});
