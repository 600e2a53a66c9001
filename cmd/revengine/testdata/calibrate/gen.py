# Generates leads.jsonl for rules.yaml: python3 gen.py > leads.jsonl
import json, math, random
random.seed(17)
for i in range(600):
    d = {"demo": random.random() < 0.3, "enterprise": random.random() < 0.4,
         "webinar": random.random() < 0.35, "newsletter": random.random() < 0.5,
         "size": random.choice([0, 50, 250, 800])}
    eta = -2.5 + 1.2 * d["demo"] + 0.8 * d["enterprise"] + 0.3 * d["webinar"]
    won = random.random() < 1 / (1 + math.exp(-eta))
    d["outcome"] = "open" if i % 40 == 0 else ("won" if won else "lost")
    print(json.dumps(d))
