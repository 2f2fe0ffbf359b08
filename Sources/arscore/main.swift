print("arscore")
