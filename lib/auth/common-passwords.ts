// Among the most common passwords of public breach compilations (and obvious variants long enough to pass the
// length rule). A small bundled list: enough to refuse what attackers try first.
export const COMMON_PASSWORDS: readonly string[] = [
  "123456", "password", "123456789", "12345678", "12345", "qwerty", "1234567", "111111", "1234567890", "123123",
  "abc123", "1234", "password1", "iloveyou", "1q2w3e4r", "000000", "qwerty123", "zaq12wsx", "dragon", "sunshine",
  "princess", "letmein", "654321", "monkey", "27653", "1qaz2wsx", "123321", "qwertyuiop", "superman", "asdfghjkl",
  "123qwe", "football", "baseball", "welcome", "admin", "admin123", "passw0rd", "trustno1", "master", "shadow",
  "michael", "jennifer", "hunter2", "starwars", "whatever", "freedom", "charlie", "donald", "batman", "access",
  "mustang", "696969", "ninja", "azerty", "solo", "loveme", "flower", "hottie", "555555", "lovely", "7777777",
  "888888", "123654", "666666", "987654321", "121212", "qazwsx", "1qaz2wsx3edc", "password123", "password1234",
  "password12345", "qwerty123456", "qwertyuiop123", "123456789012", "1234567890123", "111111111111", "000000000000",
  "123123123123", "abcdefghijkl", "abc123456789", "iloveyou1234", "welcome12345", "administrator", "changeme",
  "changeme123", "letmein12345", "passwordpassword", "qwertyqwerty", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u",
  "1qaz2wsx3edc4rfv", "q1w2e3r4t5y6", "asdfghjkl123", "zxcvbnm123456", "zxcvbnmasdfg", "football1234",
  "baseball1234", "superman1234", "sunshine1234", "princess1234", "dragon123456", "monkey123456", "master123456",
  "shadow123456", "trustno112345", "starwars1234", "welcome123456", "p@ssw0rd", "p@ssword123", "p@ssw0rd1234",
  "passw0rd1234", "adminadmin", "admin1234567", "rootroot", "root12345678", "secret", "secret123456", "openstack",
  "openstack123", "openshift", "openshift123", "kubernetes", "kubernetes123", "tripod", "tripod123456",
  "temporary1234", "summer2024", "winter2024", "spring2024", "autumn2024", "summer2025", "winter2025", "spring2025",
  "autumn2025", "summer2026", "winter2026", "spring2026", "autumn2026", "Password1!", "Password123!", "Passw0rd123!",
  "Welcome123!", "Qwerty123456!", "abcd1234abcd", "12341234", "1234512345", "aaaaaaaaaaaa", "11111111", "88888888",
  "computer", "internet", "whatever1234", "iloveyou123", "password!234", "mypassword", "mypassword123",
  "thisismypassword", "correcthorsebatterystaple",
];
