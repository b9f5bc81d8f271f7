print("sockpit: work in progress")
