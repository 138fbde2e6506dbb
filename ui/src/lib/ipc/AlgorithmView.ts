

export type AlgorithmView = "SHA1" | "SHA256" | "SHA512";
