import { describe, expect, it } from "vitest";

import { ApiError, flattenDetails } from "./errors";

describe("the API's error details", () => {
  it("flatten DRF's nested errors to field paths", () => {
    expect(
      flattenDetails({
        admin_user: { password: ["Too short."] },
        declarations: [{}, { amount: ["Too many decimals."] }],
        due_date: ["Must be after the issue date."],
        non_field_errors: "Bad.",
      }),
    ).toEqual({
      "admin_user.password": ["Too short."],
      "declarations[1].amount": ["Too many decimals."],
      due_date: ["Must be after the issue date."],
      non_field_errors: ["Bad."],
    });
  });

  it("take from a conflict only its lists of messages, not its facts", () => {
    const error = new ApiError(409, {
      code: "declaration_value_exceeded",
      message: "Too much.",
      details: { "declarations[0].amount": ["At most 10.00 remains."], number: "531620261100000001", remaining: "10.00" },
    });
    expect(error.fieldErrors).toEqual({ "declarations[0].amount": ["At most 10.00 remains."] });
    expect(error.code).toBe("declaration_value_exceeded");
  });
});
