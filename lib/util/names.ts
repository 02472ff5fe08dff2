/**
 * Names in the order people read them: numbers inside a name by their value ("user-3" before "user-10"), which SQL's
 * text order is not. For lists read whole (a project's members); paged lists keep the database's order.
 */
export const byName = new Intl.Collator("en", { numeric: true }).compare;
